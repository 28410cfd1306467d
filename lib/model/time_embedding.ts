/**
 * The timestep conditioning of the Wan DiT.
 *
 * e  = time_embedding.2(SiLU(time_embedding.0(sinusoid(t))))        [B, dim]
 * e0 = time_projection.1(SiLU(e)) reshaped to six modulation vectors [B, 6, dim]
 *
 * `e0` is shared by all blocks (each adds its own `modulation`); `e` feeds the head.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanModel.forward`, "time embeddings").
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { linear, type ParamMap, silu } from "./_nn.ts";
import { sinusoidalEmbedding } from "./sinusoidal_embedding.ts";

/** Options of {@link timeEmbedding}. */
export interface TimeEmbeddingOptions {
  /** Width of the sinusoid (`freq_dim`). */
  freqDim: number;
}

/** Output of {@link timeEmbedding}. */
export interface TimeEmbeddingOutput {
  /** [B, dim], the time embedding (input of the head's modulation). */
  e: tf.Tensor;
  /** [B, 6, dim], the shared block modulation. */
  e0: tf.Tensor;
}

/**
 * @param params DiT parameters (`time_embedding.*`, `time_projection.1.*`)
 * @param t timesteps [B] in 0..1000, a tensor (never read on the host: the sinusoid is built with tensor ops,
 *   so this runs on every backend) or numbers; no gradient flows to t
 * @param options the sinusoid width
 * @returns `e` [B, dim] and `e0` [B, 6, dim]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { timeEmbedding } from "./time_embedding.ts";
 * import { initWanParams } from "./init_wan_params.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * import { Prng } from "../random/mod.ts";
 * const params = initWanParams(MODEL_PRESETS["wan-smoke"], { prng: new Prng(0) });
 * const { e0 } = timeEmbedding(params, [500], { freqDim: 16 });
 * console.log(e0.shape); // [1, 6, 32]
 * ```
 */
export function timeEmbedding(
  params: ParamMap,
  t: tf.Tensor | ArrayLike<number>,
  options: TimeEmbeddingOptions,
): TimeEmbeddingOutput {
  return tf.tidy(() => {
    const sinus = sinusoidalEmbedding(t, options.freqDim); // (B, freq_dim)
    const e = linear(params, "time_embedding.2", silu(linear(params, "time_embedding.0", sinus))); // (B, dim)
    const dim = e.shape[1] as number;
    const e0 = tf.reshape(linear(params, "time_projection.1", silu(e)), [-1, 6, dim]); // (B, 6, dim)
    return { e, e0 };
  });
}

