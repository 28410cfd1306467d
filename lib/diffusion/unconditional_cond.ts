import type { Cond } from "./types.ts";

/**
 * Builds the Cond of the unconditional branch, so callers choose what it
 * drops (text, reference, pose, …): each dropped entry is replaced by its
 * `nullCond` value (e.g. the empty prompt's context) or, without one,
 * removed. Tensors are shared, not copied.
 *
 * References: Ho & Salimans 2022 §3 (a null condition ∅); Wan2.1
 * `wan/text2video.py` (`arg_null` swaps `context` for the empty-prompt context).
 *
 * @param cond the conditional Cond
 * @param options the entries dropped and their null values
 * @returns the unconditional Cond
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { unconditionalCond } from "./unconditional_cond.ts";
 * const cond = { context: tf.ones([1, 4, 8]), reference: tf.ones([1, 16, 1, 2, 2]) };
 * const u = unconditionalCond(cond, { drop: ["context"], nullCond: { context: tf.zeros([1, 4, 8]) } });
 * console.log(Object.keys(u)); // ["context", "reference"]
 * ```
 */
export function unconditionalCond(cond: Cond, options: { drop: readonly string[]; nullCond?: Partial<Cond> }): Cond {
  const { drop, nullCond = {} } = options;
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
