/**
 * Sum, Mean, Max and Min over any axes for float32 inputs.
 *
 * The input is viewed as [K1, R, K2] (kept, reduced, kept) after dropping
 * size-1 axes and merging neighbours: last-axis reductions (K2 = 1) run down
 * contiguous rows, leading-axis reductions (bias gradients, K1 = 1) add whole
 * rows into an accumulator. Reduced axes that are not adjacent are first
 * moved last with the fast transpose. Sums accumulate in float64 (column
 * sums four rows at a time, pairwise; row sums in row-major order).
 *
 * References: TensorFlow.js cpu kernels Sum, Mean, Max, Min (NaN propagates
 * through Max/Min; Mean = Sum / reduced size).
 */
import { backend_util, Max, Mean, Min, Sum, util } from "@tensorflow/tfjs-core";
import { blasConfig, cpuKernel, f32, type KernelArgs, out, sizeOf } from "./_kernel_utils.ts";
import { transposeValues } from "./_transpose.ts";
import { newF32, noteReleased } from "./_pool.ts";

/** A reduction. */
export type ReduceKind = "sum" | "mean" | "max" | "min";

/**
 * Reduces float32 values of `shape` over `axes`.
 * @param kind the reduction
 * @param x values and shape
 * @param axes axes to reduce (negative allowed)
 * @returns reduced values; their shape is `shape` without `axes`
 */
export function reduceValues(
  kind: ReduceKind,
  x: { values: Float32Array; shape: readonly number[] },
  axes: readonly number[],
): Float32Array {
  const shape = x.shape;
  const reduced = new Set(util.parseAxisParam(axes as number[], shape as number[]));
  // Collapse into segments of (size, reduced?).
  const sizes: number[] = [];
  const flags: boolean[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const f = reduced.has(i);
    if (flags.length && flags.at(-1) === f) sizes[sizes.length - 1] *= shape[i];
    else {
      sizes.push(shape[i]);
      flags.push(f);
    }
  }
  const reducedSegments = flags.filter((f) => f).length;
  let values = x.values;
  let k1: number, r: number, k2: number;
  if (reducedSegments === 0) {
    [k1, r, k2] = [values.length, 1, 1];
  } else if (reducedSegments === 1) {
    const at = flags.indexOf(true);
    k1 = sizeOf(sizes.slice(0, at));
    r = sizes[at];
    k2 = sizeOf(sizes.slice(at + 1));
  } else {
    // Move every reduced segment last: [kept..., reduced...].
    const kept = flags.map((f, i) => (f ? -1 : i)).filter((i) => i >= 0);
    const red = flags.map((f, i) => (f ? i : -1)).filter((i) => i >= 0);
    values = transposeValues(values, sizes, [...kept, ...red]);
    [k1, r, k2] = [sizeOf(kept.map((i) => sizes[i])), sizeOf(red.map((i) => sizes[i])), 1];
  }
  const result = newF32(k1 * k2);
  if (k2 === 1) reduceRows(kind, values, result, k1, r);
  else reduceColumns(kind, values, result, k1, r, k2);
  if (values !== x.values) noteReleased(values); // the transposed copy
  return result;
}

/** result[i] = reduce(x[i·r .. i·r + r)). */
function reduceRows(kind: ReduceKind, x: Float32Array, result: Float32Array, rows: number, r: number) {
  if (kind === "sum" || kind === "mean") {
    for (let i = 0, off = 0; i < rows; i++, off += r) {
      let s = 0;
      for (let j = 0; j < r; j++) s += x[off + j];
      result[i] = kind === "mean" ? s / r : s;
    }
  } else if (kind === "max") {
    for (let i = 0, off = 0; i < rows; i++, off += r) {
      let m = x[off];
      for (let j = 1; j < r; j++) {
        const v = x[off + j];
        if (v > m || v !== v) m = v;
      }
      result[i] = m;
    }
  } else {
    for (let i = 0, off = 0; i < rows; i++, off += r) {
      let m = x[off];
      for (let j = 1; j < r; j++) {
        const v = x[off + j];
        if (v < m || v !== v) m = v;
      }
      result[i] = m;
    }
  }
}

/** result[a, c] = reduce over b of x[a, b, c] for x of shape [k1, r, k2]. */
function reduceColumns(kind: ReduceKind, x: Float32Array, result: Float32Array, k1: number, r: number, k2: number) {
  const acc = kind === "sum" || kind === "mean" ? new Float64Array(k2) : new Float32Array(k2);
  for (let a = 0; a < k1; a++) {
    const base = a * r * k2;
    for (let c = 0; c < k2; c++) acc[c] = x[base + c];
    let b = 1;
    if (kind === "sum" || kind === "mean") {
      // Four rows per pass (a bias gradient sums thousands of rows): a quarter of the accumulator traffic.
      for (; b + 3 < r; b += 4) {
        const r0 = base + b * k2, r1 = r0 + k2, r2 = r1 + k2, r3 = r2 + k2;
        for (let c = 0; c < k2; c++) acc[c] += (x[r0 + c] + x[r1 + c]) + (x[r2 + c] + x[r3 + c]);
      }
    }
    for (; b < r; b++) {
      const row = base + b * k2;
      if (kind === "sum" || kind === "mean") {
        for (let c = 0; c < k2; c++) acc[c] += x[row + c];
      } else if (kind === "max") {
        for (let c = 0; c < k2; c++) {
          const v = x[row + c];
          if (v > acc[c] || v !== v) acc[c] = v;
        }
      } else {
        for (let c = 0; c < k2; c++) {
          const v = x[row + c];
          if (v < acc[c] || v !== v) acc[c] = v;
        }
      }
    }
    const o = a * k2;
    if (kind === "mean") { for (let c = 0; c < k2; c++) result[o + c] = acc[c] / r; }
    else for (let c = 0; c < k2; c++) result[o + c] = acc[c];
  }
}

function reduceKernel(kernelName: string, kind: ReduceKind, axisAttr: string) {
  const fallback = cpuKernel(kernelName);
  return (args: KernelArgs) => {
    const { x } = args.inputs;
    if (x.dtype !== "float32" || sizeOf(x.shape) === 0) return fallback(args);
    const axes = util.parseAxisParam(args.attrs![axisAttr] as number | number[], x.shape);
    const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
    const values = reduceValues(kind, { values: f32(args.backend, x), shape: x.shape }, axes);
    const shape = args.attrs!.keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    return out(args.backend, shape, values);
  };
}

/** Kernel configs of this file. */
export const reduceConfigs = [
  blasConfig(Sum, reduceKernel(Sum, "sum", "axis")),
  blasConfig(Mean, reduceKernel(Mean, "mean", "axis")),
  blasConfig(Max, reduceKernel(Max, "max", "reductionIndices")),
  blasConfig(Min, reduceKernel(Min, "min", "axis")),
];
