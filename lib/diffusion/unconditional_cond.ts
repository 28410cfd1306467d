import type { Cond, ModelFn } from "./types.ts";

/**
 * What the weaker branch of guidance evaluates; the sample follows
 * v = v_weak + scale·(v_model − v_weak).
 */
export type Guidance =
  & (
    /** Classifier-free guidance: the same model, given this unconditional conditioning outright. */
    | { scale: number; uncond: Cond }
    /**
     * Classifier-free guidance: the same model, with the named entries of the
     * conditional Cond dropped: each is replaced by its `nullCond` value (e.g.
     * the empty-prompt context) or, without one, removed.
     */
    | { scale: number; drop: readonly string[]; nullCond?: Partial<Cond> }
    /**
     * Autoguidance: another, weaker model on the same latents (less trained or
     * smaller), with its own conditioning `cond` (its own text encoder's
     * context; the full conditioning for autoguidance proper, or its null
     * conditioning to guide with a weak unconditional model). With `cfg`, the
     * guided model's own unconditional branch is added as a second term:
     * v = v + (scale − 1)·(v − v_weak) + (cfg.scale − 1)·(v − v(cfg.uncond)).
     */
    | { scale: number; model: ModelFn; cond: Cond; cfg?: { scale: number; uncond: Cond } }
  )
  & {
    /**
     * Guide only at the steps whose noise level σ lies in [min, max]; the others take the conditional branch
     * alone, at the cost of one model call (default: every step).
     */
    interval?: { min: number; max: number };
  };

/**
 * Builds the Cond of the unconditional branch, so callers choose what it
 * drops (text, reference, pose, …). Tensors are shared, not copied. For
 * autoguidance (`{ model, cond }`) it is the weaker model's own `cond`.
 *
 * References: Ho & Salimans 2022 §3 (a null condition ∅); Wan2.1
 * `wan/text2video.py` (`arg_null` swaps `context` for the empty-prompt context).
 *
 * @param cond the conditional Cond
 * @param guidance `{ uncond }`, `{ drop, nullCond? }` or `{ model, cond }`
 * @returns the unconditional Cond
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { unconditionalCond } from "./unconditional_cond.ts";
 * const cond = { context: tf.ones([1, 4, 8]), reference: tf.ones([1, 16, 1, 2, 2]) };
 * const u = unconditionalCond(cond, { scale: 5, drop: ["context"], nullCond: { context: tf.zeros([1, 4, 8]) } });
 * console.log(Object.keys(u)); // ["context", "reference"]
 * ```
 */
export function unconditionalCond(cond: Cond, guidance: Guidance): Cond {
  if ("uncond" in guidance) return guidance.uncond;
  if ("model" in guidance) return guidance.cond;
  const { drop, nullCond = {} } = guidance;
  for (const key of drop) {
    if (!Object.hasOwn(cond, key)) {
      throw new RangeError(
        `Cannot drop ${JSON.stringify(key)} for guidance as the Cond has no such entry: expected one of ${
          Object.keys(cond).join(", ")
        }`,
      );
    }
  }
  for (const key of Object.keys(nullCond)) {
    if (!drop.includes(key)) {
      throw new RangeError(
        `Cannot use nullCond.${key} for guidance as ${JSON.stringify(key)} is not in drop [${drop.join(", ")}]`,
      );
    }
  }
  const out: Cond = {};
  for (const [key, value] of Object.entries(cond)) {
    if (!drop.includes(key)) out[key] = value;
    else if (nullCond[key] !== undefined) out[key] = nullCond[key]!;
  }
  return out;
}
