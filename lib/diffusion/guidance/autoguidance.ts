/**
 * Autoguidance: the second branch is a weaker model (less trained or smaller,
 * on the same latents) with its own conditioning, v = v_guide + scale·(v − v_guide).
 * With `cfg`, the guided model's own classifier-free term is added:
 * v = v + (scale − 1)·(v − v_guide) + (cfg − 1)·(v − v(∅)), which is each
 * alone when the other scale is 1.
 *
 * References: Karras et al. 2024, "Guiding a Diffusion Model with a Bad
 * Version of Itself" (eq. 2 with a weaker model in place of the
 * unconditional one); Ho & Salimans 2022 eq. 6 (the added term).
 */
import * as tf from "@tensorflow/tfjs-core";
import { classifierFreeGuidance } from "../classifier_free_guidance.ts";
import type { Cond, ModelFn } from "../types.ts";
import type { GuidanceKind } from "./guidance_kind.ts";

/** The config of {@link autoguidance}. */
export interface Autoguidance {
  kind: "autoguidance";
  /** w of v = v_guide + w·(v − v_guide) (1: the guide is not called). */
  scale: number;
  /** The weaker model, as the caller names it (a finished run folder, e.g. results/pretrain_dit_vae_video_guide_short/0). */
  guide: string;
  /** The caption the guide is given: the sample's own ("same": autoguidance proper) or the empty one (a weak unconditional model). */
  caption: "same" | "empty";
  /** The scale of the guided model's own classifier-free term added on top (absent or 1: none). */
  cfg?: number;
}

/** The run-time inputs of {@link autoguidance}. */
export interface AutoguidanceInputs {
  /** The guide's velocity model. */
  model: ModelFn;
  /** The guide's conditioning (its own encoding of the caption `caption` names). */
  cond: Cond;
  /** The guided model's unconditional Cond, for the `cfg` term (needed when cfg is not 1). */
  uncond?: Cond;
}

/**
 * @example
 * ```ts
 * import { autoguidance } from "./autoguidance.ts";
 * autoguidance.check({ kind: "autoguidance", scale: 3, guide: "results/guide/0", caption: "same" }); // passes
 * ```
 */
export const autoguidance: GuidanceKind<Autoguidance, AutoguidanceInputs> = {
  fields: ["scale", "guide", "caption", "cfg"],
  check(config) {
    for (const [k, v] of [["scale", config.scale], ["cfg", config.cfg ?? 1]] as const) {
      if (!Number.isFinite(v)) throw new RangeError(`Cannot sample as guidance.${k} must be finite: received ${v}`);
    }
    if (typeof config.guide !== "string" || config.guide === "") {
      throw new RangeError(`Cannot sample with autoguidance as guidance.guide must name the guiding model: received ${JSON.stringify(config.guide)}`);
    }
    if (config.caption !== "same" && config.caption !== "empty") {
      throw new RangeError(`Cannot sample with autoguidance as guidance.caption must be "same" or "empty": received ${JSON.stringify(config.caption)}`);
    }
  },
  prepare(config, { model, inputs }) {
    const cfg = config.cfg ?? 1;
    if (!inputs?.model || !inputs.cond) {
      throw new RangeError(`Cannot sample with autoguidance by ${config.guide}: expected guide inputs { model, cond } (the guide's model and conditioning)`);
    }
    if (cfg !== 1 && !inputs.uncond) {
      throw new RangeError(`Cannot add classifier-free guidance ${cfg} to autoguidance: expected guide inputs with uncond (the guided model's unconditional Cond)`);
    }
    if (config.scale === 1 && cfg === 1) return null;
    return (vCond, evaluate) => {
      const v = config.scale === 1 ? vCond : classifierFreeGuidance(vCond, evaluate(inputs.model, inputs.cond), { scale: config.scale });
      if (cfg === 1) return v;
      return tf.add(v, tf.mul(tf.sub(vCond, evaluate(model, inputs.uncond!)), cfg - 1)); // + (w_c − 1)·(v_c − v_u)
    };
  },
};
