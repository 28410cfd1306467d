/**
 * The replacement method of conditional sampling, as a model wrapper: every
 * call sees its first K latent frames replaced by known clean latents noised
 * to the call's noise level, x_σ[:, :, :K] = (1 − σ)·known + σ·noise[:, :, :K]
 * (σ = t/1000, the flow-matching path), so the frames after them are
 * denoised in attention with a context that is exactly as noisy as they are.
 *
 * Wrapping the model, instead of editing the solver's state, gives the same
 * trajectory for the unknown frames: every solver update is elementwise in
 * x and the model's outputs, so the unknown frames see exactly what they
 * would see had the state's first K frames been overwritten after every
 * step; the solver's own values for the known frames are never read back by
 * the model and are to be discarded (or overwritten with `known`) by the
 * caller. A guidance branch that calls another model (autoguidance) must wrap
 * that model too.
 *
 * References: Ho et al. 2022, "Video Diffusion Models" §3.1 (the replacement
 * method for conditional sampling of an extension of a video); Lugmayr et al.
 * 2022, "RePaint" (known region noised to the current level at every step);
 * Lipman et al. 2023 / Wan2.1 (x_σ = (1 − σ)·x0 + σ·ε).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { ModelFn } from "./types.ts";

/** Options of {@link replaceKnownFrames}. */
export interface ReplaceKnownFramesOptions {
  /** Clean latents of the first K frames [B, C, K, H, W]. */
  known: tf.Tensor;
  /** The sample's starting noise [B, C, F, H, W] (its first K frames noise the known ones). */
  noise: tf.Tensor;
}

/**
 * @param model the velocity model
 * @param options the known latents and the starting noise (neither disposed; both must outlive the wrapper)
 * @returns a model that replaces the first K frames of its input before calling `model`
 * @throws {RangeError} when known and noise disagree in batch, channels or size, or K is not below F
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { replaceKnownFrames } from "./replace_known_frames.ts";
 * const seen: number[][] = [];
 * const model = (x: tf.Tensor) => { seen.push(Array.from(x.dataSync())); return tf.zerosLike(x); };
 * const wrapped = replaceKnownFrames(model, { known: tf.fill([1, 1, 1, 1, 1], 2), noise: tf.zeros([1, 1, 2, 1, 1]) });
 * wrapped(tf.fill([1, 1, 2, 1, 1], 7), tf.tensor1d([250]), {});
 * console.log(seen[0]); // [1.5, 7]: frame 0 is (1 − 0.25)·2 + 0.25·0
 * ```
 */
export function replaceKnownFrames(model: ModelFn, options: ReplaceKnownFramesOptions): ModelFn {
  const { known, noise } = options;
  if (known.rank !== 5 || noise.rank !== 5) {
    throw new RangeError(
      `Cannot replace known frames as known and noise must be [B, C, F, H, W]: received [${known.shape}] and [${noise.shape}]`,
    );
  }
  const [b, c, k, h, w] = known.shape as number[];
  const f = noise.shape[2] as number;
  if (noise.shape[0] !== b || noise.shape[1] !== c || noise.shape[3] !== h || noise.shape[4] !== w) {
    throw new RangeError(
      `Cannot replace known frames as known [${known.shape}] must match the noise [${noise.shape}] except in frames`,
    );
  }
  if (k < 1 || k >= f) {
    throw new RangeError(
      `Cannot replace known frames as their number must be in [1, ${f - 1}] (the sample has ${f} latent frames): received ${k}`,
    );
  }
  return (x, t, cond) => {
    const replaced = tf.tidy(() => {
      const sigma = tf.reshape(tf.div(tf.cast(t, "float32"), 1000), [-1, 1, 1, 1, 1]); // (B, 1, 1, 1, 1)
      const eps = tf.slice(noise, [0, 0, 0, 0, 0], [b, c, k, h, w]); // (B, C, K, H, W)
      const head = tf.add(tf.mul(known, tf.sub(1, sigma)), tf.mul(eps, sigma)); // (B, C, K, H, W) at σ
      const tail = tf.slice(x, [0, 0, k, 0, 0], [b, c, f - k, h, w]); // (B, C, F−K, H, W)
      return tf.concat([head, tail], 2); // (B, C, F, H, W)
    });
    let v: tf.Tensor | undefined;
    try {
      v = model(replaced, t, cond);
      return v;
    } finally {
      if (v !== replaced) replaced.dispose();
    }
  };
}
