/**
 * Helpers of the webgpu check scripts (run as subprocesses by webgpu_test.ts):
 * relative errors against the cpu backend and the one JSON line each script
 * prints last.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../../lib/random/mod.ts";

/** Prefix of the result line a check script prints. */
export const RESULT_PREFIX = "WEBGPU_CHECK ";

/** max |got − want| / max |want| (0 when both are all zeros). */
export function maxRelErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) {
    throw new RangeError(`Cannot compare as lengths differ: received ${got.length} and ${want.length}`);
  }
  let num = 0, den = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (!(d <= num)) num = Number.isNaN(d) ? Infinity : Math.max(num, d);
    den = Math.max(den, Math.abs(want[i]));
  }
  return num === 0 ? 0 : num / den;
}

/** Prints the result line (the parent parses the last line with the prefix). */
export function emit(result: unknown): void {
  console.log(RESULT_PREFIX + JSON.stringify(result));
}

/** A seeded normal tensor × scale. */
export function normal(prng: Prng, shape: number[], scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = prng.normals(n);
  for (let i = 0; i < n; i++) v[i] *= scale;
  return tf.tensor(v, shape);
}

/** Adds seeded noise × scale to every variable (so zero-initialised layers get gradients everywhere). */
export function perturb(params: Record<string, tf.Variable>, prng: Prng, scale: number): void {
  for (const name of Object.keys(params).sort()) {
    const p = params[name];
    tf.tidy(() => p.assign(tf.add(p, normal(prng, p.shape, scale))));
  }
}

/** Values of named tensors, read asynchronously (works on every backend). */
export async function readAll(ts: Record<string, tf.Tensor>): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [k, t] of Object.entries(ts)) out[k] = (await t.data()) as Float32Array;
  return out;
}

/** The worst relative error over named arrays, and its name. */
export function worst(got: Record<string, Float32Array>, want: Record<string, Float32Array>) {
  const missing = Object.keys(want).filter((k) => !(k in got));
  if (missing.length) throw new RangeError(`Missing on webgpu: ${missing.join(", ")}`);
  let err = 0, name = "";
  for (const k of Object.keys(want)) {
    const e = maxRelErr(got[k], want[k]);
    if (e >= err) [err, name] = [e, k];
  }
  return { err, name, count: Object.keys(want).length };
}
