/**
 * Shared helpers of the engine tests: seeded inputs, running one closure on
 * the stock "cpu" backend and on "blas", and a closeness check.
 *
 * OpenBLAS missing is the one reason to skip: `BLAS_SKIP` holds the printed
 * reason and tests pass it as `ignore`. Under `deno task test`, which installs
 * OpenBLAS first, a missing one is a failure instead (see tests/_skip.ts).
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { skipWhen } from "../_skip.ts";

async function tryBlas(): Promise<string | null> {
  try {
    await initEngine({ backend: "blas" });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

const blasMissing = await tryBlas();
/** Why the blas tests are skipped, or null when OpenBLAS loaded. */
export const BLAS_SKIP = skipWhen(blasMissing, { dependency: "OpenBLAS", installedByTestTask: true }) ? blasMissing : null;

/** Seeded normal values of `shape` (scaled). */
export function normals(prng: Prng, shape: number[], scale = 1): Float32Array {
  const v = prng.normals(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < v.length; i++) v[i] *= scale;
  return v;
}

/** An input: values + shape (+ dtype), materialised on whichever backend is active. */
export interface Input {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype?: "float32" | "int32";
}

/** Seeded float32 input. */
export function input(prng: Prng, shape: number[], scale = 1): Input {
  return { values: normals(prng, shape, scale), shape };
}

/**
 * Runs `fn` on fresh tensors of `inputs` under `backend`; returns each output's values.
 * Leaves "blas" active afterwards.
 */
export async function runOn(
  backend: "cpu" | "blas",
  fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  inputs: Input[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  try {
    return tf.tidy(() => {
      const xs = inputs.map((i) => tf.tensor(i.values, i.shape, i.dtype ?? "float32"));
      const r = fn(...xs);
      return (Array.isArray(r) ? r : [r]).map((t) => Float32Array.from(t.dataSync() as Float32Array));
    });
  } finally {
    await tf.setBackend("blas");
  }
}

/**
 * Asserts |a − b| ≤ rtol·(|b| + max|b|) element-wise: relative to each value
 * and to the tensor's scale (float32 sums near zero carry absolute error).
 */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, what = "") {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} vs ${expected.length}`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  }
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], b = expected[i];
    if (Number.isNaN(b) || !Number.isFinite(b)) {
      assert.ok(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)), `${what}[${i}]: ${a} vs ${b}`);
      continue;
    }
    assert.ok(Math.abs(a - b) <= rtol * (Math.abs(b) + scale), `${what}[${i}]: ${a} vs ${b} (scale ${scale})`);
  }
}

/** Runs `fn` on cpu and blas with the same inputs and asserts the outputs agree. */
export async function assertSameAsCpu(
  fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  inputs: Input[],
  what: string,
  rtol = 1e-5,
) {
  const want = await runOn("cpu", fn, inputs);
  const got = await runOn("blas", fn, inputs);
  assert.equal(got.length, want.length, `${what}: number of outputs`);
  got.forEach((g, i) => assertClose(g, want[i], rtol, `${what} #${i}`));
}

/** Gradients of Σ fn(xs)·w (w fixed, seeded) with respect to every input. */
export function gradsOf(fn: (...xs: tf.Tensor[]) => tf.Tensor, seed = 99) {
  return (...xs: tf.Tensor[]): tf.Tensor[] => {
    const prng = new Prng(seed);
    return tf.grads((...as: tf.Tensor[]) => {
      const y = fn(...as);
      return tf.sum(tf.mul(y, tf.tensor(normals(prng, y.shape), y.shape)));
    })(xs);
  };
}
