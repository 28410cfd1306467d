/**
 * The output head of the Wan DiT: (e₀, e₁) = head.modulation + e (the time
 * embedding, not e0), then head.head(norm(x)·(1+e₁) + e₀) with a LayerNorm
 * without affine.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`Head.forward`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { linear, modulatedLayerNorm, param, type ParamMap } from "./_nn.ts";

/** Options of {@link wanHead}. */
export interface WanHeadOptions {
  /** Time embedding [B, dim]. */
  e: tf.Tensor;
  eps: number;
}

/**
 * @param params DiT parameters (`head.modulation`, `head.head.*`)
 * @param x tokens [B, L, dim]
 * @param options the time embedding and eps
 * @returns [B, L, prod(patch)·out_dim]
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { wanHead } from "./wan_head.ts";
 * import { initWanParams } from "./init_wan_params.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * import { Prng } from "../random/mod.ts";
 * const params = initWanParams(MODEL_PRESETS["wan-smoke"], { prng: new Prng(0) });
 * const y = wanHead(params, tf.ones([1, 4, 32]), { e: tf.zeros([1, 32]), eps: 1e-6 });
 * console.log(y.shape); // [1, 4, 16]
 * ```
 */
export function wanHead(params: ParamMap, x: tf.Tensor, options: WanHeadOptions): tf.Tensor {
  const { e, eps } = options;
  const [b, , dim] = x.shape;
  if (e.rank !== 2 || e.shape[0] !== b || e.shape[1] !== dim) {
    throw new RangeError(`Cannot run the head as e must be [${b}, ${dim}]: received [${e.shape}]`);
  }
  return tf.tidy(() => {
    const mod = tf.add(param(params, "head.modulation"), tf.reshape(e, [b, 1, dim])); // (B, 2, dim)
    const [shift, scale] = tf.split(mod, 2, 1); // (B, 1, dim) each
    return linear(params, "head.head", modulatedLayerNorm(x, { shift, scale }, eps));
  });
}
