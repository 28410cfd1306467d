/**
 * Condition dropping for classifier-free guidance training: per sample,
 * independently, the text context is replaced by the empty-prompt context
 * with probability `pText` and the reference latent by the latent of an
 * all-zero image (zeros in the VAE's [-1, 1] input range, i.e. mid grey, as
 * the released pipeline's null reference) with probability `pReference`.
 * Pose latents are never dropped (the unconditional branch keeps them).
 *
 * Two uniforms are drawn per sample (text, then reference) whatever the
 * probabilities and whether a reference is present, so the stream of draws
 * does not depend on them.
 *
 * References: Ho & Salimans 2022 "Classifier-Free Diffusion Guidance" §3
 * (joint training with a null condition); RealisDance-DiT (arXiv 2504.14977)
 * §4 (reference and text dropped at 5%); damo-cv/RealisDance
 * `src/pipelines/rd_dit_pipeline.py` (`latent_null_ref = vae_encode(zeros_like(image))`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Prng } from "../../random/mod.ts";
import type { Cond } from "../../diffusion/types.ts";

/** Options of {@link dropConditions}. */
export interface DropConditionsOptions {
  prng: Prng;
  /** Probability of dropping the reference of a sample (default 0.05). */
  pReference?: number;
  /** Probability of dropping the text of a sample (default 0.05). */
  pText?: number;
  /** The null reference latent [1 or B, C, F', H', W'] (required when a reference can be dropped). */
  nullReference?: tf.Tensor;
  /** The empty-prompt context [1 or B, Ln, text_dim] (required when text can be dropped). */
  nullContext?: tf.Tensor;
}

/** What {@link dropConditions} returns. */
export interface DroppedConditions {
  /** A new Cond; every tensor in it is owned by the caller (unchanged entries are clones sharing storage). */
  cond: Cond;
  /** Per sample: which conditions were replaced. */
  dropped: { reference: boolean[]; text: boolean[] };
}

/**
 * @param cond the conditional Cond ({ context, reference?, pose?, … })
 * @param options PRNG, probabilities and the null conditions
 * @returns the Cond with dropped entries replaced, and the per-sample draws
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { dropConditions } from "./drop_conditions.ts";
 * import { Prng } from "../../random/mod.ts";
 * const cond = { context: tf.ones([2, 3, 4]), reference: tf.ones([2, 4, 1, 2, 2]) };
 * const { dropped } = dropConditions(cond, {
 *   prng: new Prng(0), pText: 1, pReference: 0,
 *   nullContext: tf.zeros([1, 1, 4]), nullReference: tf.zeros([1, 4, 1, 2, 2]),
 * });
 * console.log(dropped.text); // [true, true]
 * ```
 */
export function dropConditions(cond: Cond, options: DropConditionsOptions): DroppedConditions {
  const { prng, pReference = 0.05, pText = 0.05, nullReference, nullContext } = options;
  for (const [key, p] of [["pReference", pReference], ["pText", pText]] as const) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Cannot drop conditions as ${key} must be in [0, 1]: received ${p}`);
  }
  const context = cond.context;
  if (!context || context.rank !== 3) {
    throw new RangeError(
      `Cannot drop conditions as cond.context must be [B, Lc, text_dim]: received ${
        context ? `[${context.shape}]` : "nothing"
      }`,
    );
  }
  const b = context.shape[0];
  const reference = cond.reference;
  if (reference !== undefined && reference.shape[0] !== b) {
    throw new RangeError(
      `Cannot drop conditions as cond.reference must have batch ${b}: received [${reference.shape}]`,
    );
  }
  const text: boolean[] = [], ref: boolean[] = [];
  for (let i = 0; i < b; i++) {
    text.push(prng.uniform() < pText);
    const r = prng.uniform() < pReference;
    ref.push(reference !== undefined && r);
  }
  const out: Cond = {};
  tf.tidy(() => {
    for (const [key, value] of Object.entries(cond)) out[key] = tf.keep(tf.clone(value));
    if (text.some(Boolean)) {
      const nul = checkNull(nullContext, "nullContext", context, 1);
      const len = Math.max(context.shape[1] as number, nul.shape[1] as number);
      // Zero rows past a context's end are what text_embedding pads with anyway.
      const pad = (t: tf.Tensor) => t.shape[1] === len ? t : tf.pad(t, [[0, 0], [0, len - t.shape[1]!], [0, 0]]);
      out.context.dispose();
      out.context = tf.keep(mix(pad(context), pad(nul), text));
    }
    if (reference !== undefined && ref.some(Boolean)) {
      const nul = checkNull(nullReference, "nullReference", reference, 0);
      out.reference.dispose();
      out.reference = tf.keep(mix(reference, nul, ref));
    }
  });
  return { cond: out, dropped: { reference: ref, text } };
}

/** Checks a null condition against the conditional one: same shape except the batch (1 or B) and, from `free`, axis 1. */
function checkNull(nul: tf.Tensor | undefined, name: string, like: tf.Tensor, free: number): tf.Tensor {
  if (nul === undefined) throw new RangeError(`Cannot drop conditions as options.${name} is missing`);
  const ok = nul.rank === like.rank && (nul.shape[0] === 1 || nul.shape[0] === like.shape[0]) &&
    nul.shape.every((d, i) => i === 0 || (i === 1 && free === 1) || d === like.shape[i]);
  if (!ok) {
    throw new RangeError(
      `Cannot drop conditions as options.${name} must be [1 or ${like.shape[0]}, ${
        like.shape.slice(1).map((d, i) => i === 0 && free === 1 ? "L" : d)
      }]: received [${nul.shape}]`,
    );
  }
  return nul;
}

/** Per sample: a·(1 − m) + n·m with m ∈ {0, 1}: an exact selection for finite values. */
function mix(a: tf.Tensor, nul: tf.Tensor, mask: boolean[]): tf.Tensor {
  const shape = [a.shape[0], ...a.shape.slice(1).map(() => 1)];
  const m = tf.tensor(mask.map(Number), shape, "float32"); // (B, 1, …)
  return tf.add(tf.mul(a, tf.sub(1, m)), tf.mul(tf.broadcastTo(nul, a.shape), m));
}
