/** Shared set-up of the VAE tests: the smoke model, seeded clips, comparisons. */
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../lib/random/mod.ts";
import { initVaeParams, type Vae, VAE_PRESETS } from "../../lib/vae/mod.ts";

/** A freshly initialised `vae-smoke` model. */
export function smokeVae(seed = 0): Vae {
  const config = VAE_PRESETS["vae-smoke"];
  return { config, params: initVaeParams(config, { prng: new Prng(seed) }) };
}

/** A seeded clip of the given shape with values uniform in [−1, 1). */
export function randomClip(shape: number[], seed = 1): tf.Tensor5D {
  const prng = new Prng(seed);
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = 2 * prng.uniform() - 1;
  const clip: tf.Tensor = tf.tensor(data, shape);
  return clip as tf.Tensor5D;
}

/** max |a − b| over all elements. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Frames [from, to) of a [B, C, F, H, W] tensor. */
export function frames(x: tf.Tensor, from: number, to: number): tf.Tensor5D {
  // (B, C, to − from, H, W)
  return tf.slice(x, [0, 0, from, 0, 0], [-1, -1, to - from, -1, -1]) as tf.Tensor5D;
}

/** x with frames [from, F) replaced by `value`. */
export function replaceFrom(x: tf.Tensor5D, from: number, value: number): tf.Tensor5D {
  return tf.tidy(() => {
    const [b, c, f, h, w] = x.shape;
    const tail = tf.fill([b, c, f - from, h, w], value);
    return tf.concat([frames(x, 0, from), tail as tf.Tensor5D], 2) as tf.Tensor5D;
  });
}

/** Disposes every parameter of a model. */
export function disposeVae(vae: Vae): void {
  for (const v of Object.values(vae.params)) v.dispose();
}
