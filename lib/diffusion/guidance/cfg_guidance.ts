/**
 * Classifier-free guidance: the second branch is the same model with the
 * conditioning entries named in `drop` replaced by their null values (or
 * removed), v = v_u + scale·(v_c − v_u). Scale 1 takes the conditional branch
 * alone and skips the unconditional call.
 *
 * References: Ho & Salimans 2022, "Classifier-Free Diffusion Guidance" eq. 6;
 * Wan2.1 `wan/text2video.py` (`arg_null`: the empty prompt's context).
 */
import { classifierFreeGuidance } from "../classifier_free_guidance.ts";
import type { Cond } from "../types.ts";
import { unconditionalCond } from "../unconditional_cond.ts";
import type { GuidanceKind } from "./guidance_kind.ts";

/** The config of {@link cfgGuidance}. */
export interface CfgGuidance {
  kind: "cfg";
  /** w of v = v_u + w·(v_c − v_u) (1: no guidance). */
  scale: number;
  /** The Cond entries the unconditional branch drops, e.g. ["context"] (text) or ["context", "reference"]. */
  drop: readonly string[];
}

/** The run-time inputs of {@link cfgGuidance}: the tensors that replace the dropped entries (without one, an entry is removed). */
export interface CfgInputs {
  nullCond?: Partial<Cond>;
}

/**
 * @example
 * ```ts
 * import { cfgGuidance } from "./cfg_guidance.ts";
 * cfgGuidance.check({ kind: "cfg", scale: 3, drop: ["context"] }); // passes
 * ```
 */
export const cfgGuidance: GuidanceKind<CfgGuidance, CfgInputs> = {
  fields: ["scale", "drop"],
  check(config) {
    if (!Number.isFinite(config.scale)) {
      throw new RangeError(`Cannot sample as guidance.scale must be finite: received ${config.scale}`);
    }
    if (!Array.isArray(config.drop) || config.drop.length === 0 || config.drop.some((k) => typeof k !== "string")) {
      throw new RangeError(
        `Cannot sample with classifier-free guidance as guidance.drop must name the Cond entries it drops (e.g. ["context"]): received ${
          JSON.stringify(config.drop)
        }`,
      );
    }
  },
  prepare(config, { model, cond, inputs }) {
    if (config.scale === 1) return null;
    const uncond = unconditionalCond(cond, { drop: config.drop, nullCond: inputs?.nullCond });
    return (vCond, evaluate) => classifierFreeGuidance(vCond, evaluate(model, uncond), { scale: config.scale });
  },
};
