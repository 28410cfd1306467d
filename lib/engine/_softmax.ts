/**
 * Softmax over the last axis for float32 logits: one pass for the row max,
 * one for exp(x − max) and its sum, one to scale.
 *
 * References: TensorFlow.js `Softmax` kernel (dim must be the last axis);
 * softmax(x)_i = exp(x_i − max x) / Σ_j exp(x_j − max x).
 */
import { Softmax } from "@tensorflow/tfjs-core";
import { blasConfig, cpuKernel, f32, type KernelArgs, out } from "./_kernel_utils.ts";
import { fastExp } from "./_fast_math.ts";
import { newF32 } from "./_pool.ts";

/**
 * Row-wise softmax of `x` seen as rows of length `n`.
 * @param x values
 * @param n row length (the last axis)
 * @returns the probabilities
 */
export function softmaxValues(x: Float32Array, n: number): Float32Array {
  const result = newF32(x.length);
  for (let off = 0; off < x.length; off += n) {
    let m = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = x[off + j];
      if (v > m || v !== v) m = v;
    }
    let s = 0;
    for (let j = 0; j < n; j++) {
      const e = fastExp(x[off + j] - m);
      result[off + j] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let j = 0; j < n; j++) result[off + j] *= inv;
  }
  return result;
}

const fallback = cpuKernel(Softmax);

function softmaxKernel(args: KernelArgs) {
  const { logits } = args.inputs;
  const rank = logits.shape.length;
  const dim = args.attrs!.dim as number;
  const last = dim === -1 || dim === rank - 1;
  if (logits.dtype !== "float32" || !last || rank === 0) return fallback(args);
  const n = logits.shape[rank - 1];
  if (n === 0) return fallback(args);
  return out(args.backend, logits.shape, softmaxValues(f32(args.backend, logits), n));
}

/** Kernel configs of this file. */
export const softmaxConfigs = [blasConfig(Softmax, softmaxKernel)];
