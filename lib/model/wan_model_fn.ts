/**
 * Adapts a Wan DiT to the workbench's model-as-a-function contract
 * `(x, t, cond) => v`, with the text features in `cond.context`.
 *
 * References: facebookresearch/DiT `training_losses(model, x, t, kwargs)`
 * (the diffusion code takes the model as a function).
 *
 * @module
 */
import type { ParamMap } from "./_nn.ts";
import type { WanConfig } from "./wan_config.ts";
import { wanForward, type WanForwardOptions } from "./wan_forward.ts";
// The contract is the diffusion code's (one definition); the model only produces functions of that type.
import type { ModelFn } from "../diffusion/types.ts";

/**
 * @param model configuration and parameters
 * @param options forward hooks applied on every call
 * @returns a ModelFn that reads `cond.context` [B, Lc, text_dim] and rejects any other entry
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { wanModelFn } from "./wan_model_fn.ts";
 * import { initWanParams } from "./init_wan_params.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * import { Prng } from "../random/mod.ts";
 * const cfg = MODEL_PRESETS["wan-smoke"];
 * const fn = wanModelFn({ cfg, params: initWanParams(cfg, { prng: new Prng(0) }) });
 * const v = fn(tf.zeros([1, 4, 1, 2, 2]), tf.tensor1d([10]), { context: tf.zeros([1, 2, 16]) });
 * ```
 */
export function wanModelFn(model: { cfg: WanConfig; params: ParamMap }, options: WanForwardOptions = {}): ModelFn {
  return (x, t, cond) => {
    const extra = Object.keys(cond).filter((k) => k !== "context");
    if (extra.length > 0) {
      throw new RangeError(
        `Cannot run the plain Wan DiT with conditions ${
          extra.join(", ")
        }: it takes only "context" (use a design's ModelFn)`,
      );
    }
    if (!cond.context) throw new RangeError(`Cannot run the Wan DiT as cond.context is missing: received keys []`);
    return wanForward(model, { x, t, context: cond.context }, options);
  };
}
