/** Private helpers of the design tests: a small foundation whose head is not zero, seeded tensors. */
import * as tf from "@tensorflow/tfjs-core";
import { initWanParams, MODEL_PRESETS, type WanConfig } from "../../../lib/model/mod.ts";
import type { Params } from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";

/** wan-smoke with three blocks (so a light reference net can skip one). */
export const CFG: WanConfig = { ...MODEL_PRESETS["wan-smoke"], num_layers: 3 };

/**
 * A foundation as a trained one would look: Wan's initialisation zeroes
 * head.head.weight (the output would be 0 whatever the input), so it is
 * drawn at random here.
 */
export function foundation(cfg: WanConfig = CFG, seed = 0): { cfg: WanConfig; params: Params } {
  const prng = new Prng(seed);
  const params = tf.tidy(() => initWanParams(cfg, { prng })); // releases the tensors the variables were made from
  const head = params["head.head.weight"];
  head.assign(tf.tidy(() => tf.mul(tf.tensor(prng.normals(head.size), head.shape), 0.1)));
  return { cfg, params };
}

/** A seeded N(0, 1) tensor. */
export function normal(prng: Prng, shape: number[]): tf.Tensor {
  return tf.tensor(prng.normals(shape.reduce((a, b) => a * b, 1)), shape);
}

/** max |a − b| over all elements. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Disposes every variable of a parameter map. */
export function disposeParams(params: Record<string, tf.Tensor>): void {
  for (const v of Object.values(params)) v.dispose();
}
