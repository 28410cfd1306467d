/**
 * Adapts a design to the workbench's model-as-a-function contract
 * `(x, t, cond) => v`, reading `cond.context` [B, Lc, text_dim],
 * `cond.reference` [B, C, 1, H', W'] (normalised VAE latent; optional: absent
 * = no reference branch) and `cond.pose` [B, k·C, F, H, W] (the design's
 * poses, channel-concatenated in `design.poses` order, see `concatPoses`).
 *
 * References: facebookresearch/DiT `training_losses(model, x, t, kwargs)`.
 *
 * @module
 */
import type { ParamMap } from "../_nn.ts";
import type { WanConfig } from "../wan_config.ts";
import type { ModelFn } from "../../diffusion/types.ts";
import { checkDesignConfig, type DesignConfig } from "./design_config.ts";
import { designForward, type DesignForwardHooks } from "./design_forward.ts";
import type { LoraConfig } from "./lora_config.ts";

const KEYS = ["context", "reference", "pose"];

/**
 * @param design the design
 * @param model configuration, parameters and, for a LoRA scope, its adapters' configuration (e.g. a `DesignModel`)
 * @param hooks passed to every call of designForward (e.g. a TextKVCache for a sampler's repeated calls)
 * @returns a ModelFn that rejects Cond entries other than context, reference, pose
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { buildDesign } from "./build_design.ts";
 * import { designModelFn } from "./design_model_fn.ts";
 * import { initWanParams } from "../init_wan_params.ts";
 * import { MODEL_PRESETS } from "../model_presets.ts";
 * import { Prng } from "../../random/mod.ts";
 * const cfg = MODEL_PRESETS["wan-smoke"];
 * const design = { kind: "reference-net", poses: [] } as const;
 * const model = buildDesign({ cfg, params: initWanParams(cfg, { prng: new Prng(0) }) }, design, { prng: new Prng(1) });
 * const fn = designModelFn(design, model);
 * const v = fn(tf.zeros([1, 4, 1, 4, 4]), tf.tensor1d([10]), {
 *   context: tf.zeros([1, 2, 16]), reference: tf.zeros([1, 4, 1, 4, 4]),
 * });
 * console.log(v.shape); // [1, 4, 1, 4, 4]
 * ```
 */
export function designModelFn(
  design: DesignConfig,
  model: { cfg: WanConfig; params: ParamMap; lora?: LoraConfig },
  hooks: DesignForwardHooks = {},
): ModelFn {
  checkDesignConfig(design, { cfg: model.cfg });
  return (x, t, cond) => {
    const extra = Object.keys(cond).filter((k) => !KEYS.includes(k));
    if (extra.length > 0) {
      throw new RangeError(
        `Cannot run the ${design.kind} design with conditions ${extra.join(", ")}: expected only ${KEYS.join(", ")}`,
      );
    }
    if (!cond.context) {
      throw new RangeError(
        `Cannot run the ${design.kind} design as cond.context is missing: received keys [${Object.keys(cond)}]`,
      );
    }
    return designForward({ cfg: model.cfg, params: model.params, design, lora: model.lora }, {
      x,
      t,
      context: cond.context,
      reference: cond.reference,
      pose: cond.pose,
    }, hooks);
  };
}
