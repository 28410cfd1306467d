/**
 * Fresh parameters for a Wan DiT, initialised like the original
 * `WanModel.init_weights`:
 * - every Linear: Xavier-uniform weight, zero bias;
 * - patch embedding: Xavier-uniform on the weight flattened to [dim, in·pt·ph·pw];
 *   its bias keeps PyTorch's Conv3d default U(−1/√fan_in, 1/√fan_in);
 * - text_embedding and time_embedding Linear weights: N(0, 0.02²);
 * - blocks' and head's `modulation`: N(0, 1)/√dim;
 * - RMSNorm/LayerNorm weights 1, LayerNorm biases 0;
 * - head.head weight: zeros (the model starts by predicting the bias, 0).
 * Values are drawn in state-dict order from the given PRNG.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanModel.init_weights`,
 * `WanAttentionBlock.modulation`, `Head.modulation`); PyTorch `_ConvNd.reset_parameters`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Prng } from "../random/mod.ts";
import type { WanConfig } from "./wan_config.ts";
import type { Params } from "./wan_model.ts";
import { wanParamShapes } from "./wan_param_shapes.ts";

/** Options of {@link initWanParams}. */
export interface InitWanParamsOptions {
  prng: Prng;
  /** Make the variables trainable (default true). */
  trainable?: boolean;
}

/**
 * @param cfg the model configuration
 * @param options the PRNG (and trainability)
 * @returns tf.Variables keyed by the official state-dict names
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { initWanParams } from "./init_wan_params.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * import { Prng } from "../random/mod.ts";
 * const params = initWanParams(MODEL_PRESETS["wan-smoke"], { prng: new Prng(0) });
 * console.log(params["blocks.0.modulation"].shape); // [1, 6, 32]
 * ```
 */
export function initWanParams(cfg: WanConfig, options: InitWanParamsOptions): Params {
  const { prng } = options;
  const trainable = options.trainable ?? true;
  const params: Params = {};
  for (const [name, shape] of wanParamShapes(cfg)) {
    const data = initValues(name, shape, cfg, prng);
    params[name] = tf.tidy(() => tf.variable(tf.tensor(data, shape, "float32"), trainable)); // no stray initial tensor
  }
  return params;
}

function initValues(name: string, shape: number[], cfg: WanConfig, prng: Prng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const uniform = (bound: number) => {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = (2 * prng.uniform() - 1) * bound;
    return out;
  };
  const scaled = (std: number) => {
    const out = prng.normals(size);
    for (let i = 0; i < size; i++) out[i] *= std;
    return out;
  };
  const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
  if (name === "patch_embedding.bias") {
    return uniform(1 / Math.sqrt(cfg.in_dim * cfg.patch_size.reduce((a, b) => a * b, 1)));
  }
  if (name.endsWith("modulation")) return scaled(1 / Math.sqrt(cfg.dim));
  if (name === "head.head.weight") return new Float32Array(size);
  if (/^(text|time)_embedding\.\d\.weight$/.test(name)) return scaled(0.02);
  if (/norm(_q|_k|3)\.weight$/.test(name)) return new Float32Array(size).fill(1);
  if (name.endsWith(".bias")) return new Float32Array(size);
  if (name.endsWith(".weight")) return uniform(Math.sqrt(6 / (fanIn + shape[0])));
  throw new RangeError(`Cannot initialise parameter "${name}": no rule for it`);
}
