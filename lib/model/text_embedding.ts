/**
 * The text projection of the Wan DiT: the context is zero-padded to
 * `text_len` rows, then Linear → GELU(tanh) → Linear. Padded rows are kept
 * (cross-attention has no mask), exactly as in the original.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanModel.forward`, "context").
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { geluTanh, linear, type ParamMap } from "./_nn.ts";

/** Options of {@link textEmbedding}. */
export interface TextEmbeddingOptions {
  /** Rows to pad the context to (`text_len`). */
  textLen: number;
}

/**
 * @param params DiT parameters (`text_embedding.0.*`, `text_embedding.2.*`)
 * @param context text features [B, L, text_dim] with L <= text_len
 * @param options the padded length
 * @returns [B, text_len, dim]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { textEmbedding } from "./text_embedding.ts";
 * import { initWanParams } from "./init_wan_params.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * import { Prng } from "../random/mod.ts";
 * const params = initWanParams(MODEL_PRESETS["wan-smoke"], { prng: new Prng(0) });
 * const c = textEmbedding(params, tf.zeros([1, 3, 16]), { textLen: 8 });
 * console.log(c.shape); // [1, 8, 32]
 * ```
 */
export function textEmbedding(params: ParamMap, context: tf.Tensor, options: TextEmbeddingOptions): tf.Tensor {
  if (context.rank !== 3) {
    throw new RangeError(`Cannot embed text as context must have shape [B, L, text_dim]: received [${context.shape}]`);
  }
  const [, len] = context.shape;
  if (len > options.textLen) {
    throw new RangeError(
      `Cannot embed text as the context must have at most text_len = ${options.textLen} rows: received ${len}`,
    );
  }
  return tf.tidy(() => {
    const padded = len < options.textLen ? tf.pad(context, [[0, 0], [0, options.textLen - len], [0, 0]]) : context; // (B, text_len, text_dim)
    return linear(params, "text_embedding.2", geluTanh(linear(params, "text_embedding.0", padded))); // (B, text_len, dim)
  });
}
