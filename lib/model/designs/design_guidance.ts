/**
 * The classifier-free guidance of RealisDance-DiT at inference: the
 * unconditional branch drops the text (empty-prompt context) and the
 * reference (latent of an all-zero image) and keeps the pose; scale 2 by
 * default. The result is a `Guidance` for lib/diffusion's `sample`.
 *
 * References: damo-cv/RealisDance `src/pipelines/rd_dit_pipeline.py`
 * (`guidance_scale: float = 2.0`, negative prompt "", `latent_null_ref`, pose
 * latents passed to both branches); Ho & Salimans 2022 eq. 6.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";

/** Options of {@link designGuidance}. */
export interface DesignGuidanceOptions {
  /** Guidance scale (default 2; 1 turns guidance off). */
  scale?: number;
}

/** A guidance that drops `context` and `reference` (structurally lib/diffusion's `Guidance`). */
export interface DesignGuidance {
  scale: number;
  drop: readonly ["context", "reference"];
  nullCond: { context: tf.Tensor; reference: tf.Tensor };
}

/**
 * @param nullCond the empty-prompt context [B, Ln, text_dim] and the null reference latent [B, C, 1, H', W'], with the batch B of the sample (the unconditional branch runs on them as they are)
 * @param options the scale
 * @returns `{ scale, drop: ["context", "reference"], nullCond }`
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { designGuidance } from "./design_guidance.ts";
 * const g = designGuidance({ context: tf.zeros([1, 1, 16]), reference: tf.zeros([1, 4, 1, 4, 4]) });
 * console.log(g.scale, g.drop); // 2 ["context", "reference"]
 * ```
 */
export function designGuidance(
  nullCond: { context: tf.Tensor; reference: tf.Tensor },
  options: DesignGuidanceOptions = {},
): DesignGuidance {
  const scale = options.scale ?? 2;
  if (!Number.isFinite(scale)) throw new RangeError(`Cannot build guidance as scale must be finite: received ${scale}`);
  if (!nullCond?.context || !nullCond?.reference) {
    throw new RangeError(
      `Cannot build guidance as nullCond must hold context and reference: received keys [${
        Object.keys(nullCond ?? {})
      }]`,
    );
  }
  return {
    scale,
    drop: ["context", "reference"],
    nullCond: { context: nullCond.context, reference: nullCond.reference },
  };
}
