/** Private helpers of the model tests: fixture paths and reading. */
import * as tf from "@tensorflow/tfjs-core";
import { readSafetensors } from "../../lib/io/safetensors.ts";

export const FIXTURES = new URL("../fixtures/wan/", import.meta.url).pathname;
export const CASES = ["smoke", "odd", "plain"] as const;

/** Reads x, t, context of a case (suffix "" or "_b") as batched tensors. */
export async function readInputs(
  name: string,
  suffix = "",
): Promise<{ x: tf.Tensor; t: Float32Array; context: tf.Tensor }> {
  const { tensors } = await readSafetensors(`${FIXTURES}${name}/inputs${suffix}.safetensors`);
  return {
    x: tf.tensor(tensors.x.data, [1, ...tensors.x.shape]),
    t: tensors.t.data,
    context: tf.tensor(tensors.context.data, [1, ...tensors.context.shape]),
  };
}

/** Reads the official output [C, F, H, W] of a case. */
export async function readExpected(name: string, suffix = ""): Promise<{ shape: number[]; data: Float32Array }> {
  const { tensors } = await readSafetensors(`${FIXTURES}${name}/expected${suffix}.safetensors`);
  return tensors.out;
}

/**
 * Tolerance (in {@link relErr}) of the conformance tests against the official
 * fixtures (the Wan DiT on cpu and blas, the umT5 text encoder): the measured
 * error is at most 4.8e-7 (blas, smoke's second input; cpu 3.2e-7, text
 * encoder 2.7e-7), so a few times that. A model whose norms' epsilon is ×100
 * is 5.5e-5 to 3.3e-4 off (the text encoder 1.1e-4) and fails it; the former
 * tolerance, 1e-4, let that model pass on "odd".
 */
export const CONFORMANCE_TOL = 3e-6;

/** max|a − b| / max|b|. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`length ${a.length} != ${b.length}`);
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}
