/**
 * Data-movement kernels as block copies for float32 tensors: Slice (strided
 * case), SplitV (the gradient of Concat), Concat, PadV2, Tile (as a
 * broadcast: x seen as [1, d0, 1, d1, …] broadcast to [r0, d0, r1, d1, …]),
 * and GatherV2 (also int32), whose stock kernel reads x through `bufferSync`:
 * the backend copies a pooled array on that read, so gathering a batch of
 * rows out of a large pooled tensor (a data set's latents) copied all of it.
 *
 * Each is a set of boxes copied between row-major arrays: trailing axes that
 * a box spans entirely are merged into one contiguous run, an odometer walks
 * the remaining axes, and each run is one `TypedArray.set` (or a short loop).
 * The stock cpu kernels compute a multi-index per element instead.
 *
 * References: TensorFlow.js Slice, SplitV, Concat, PadV2, GatherV2 kernels
 * (`slice_util.parseSliceParams`, `backend_util.prepareSplitSize`,
 * `backend_util.computeOutShape`, `segment_util.collectGatherOpShapeInfo`).
 */
import {
  backend_util,
  Concat,
  GatherV2,
  PadV2,
  Slice,
  slice_util,
  SplitV,
  type TensorInfo,
  Tile,
  util,
} from "@tensorflow/tfjs-core";
import { allFloat32, blasConfig, cpuKernel, f32, type KernelArgs, out, sizeOf, stridesOf } from "./_kernel_utils.ts";
import { newF32 } from "./_pool.ts";
import { binaryValues } from "./_elementwise.ts";

/**
 * Copies the box of `size` at `srcBegin` in src (shape srcShape) to `dstBegin`
 * in dst (shape dstShape). Shapes have the same rank.
 */
export function copyBox(
  src: Float32Array,
  srcShape: readonly number[],
  srcBegin: readonly number[],
  dst: Float32Array,
  dstShape: readonly number[],
  dstBegin: readonly number[],
  size: readonly number[],
) {
  const r = size.length;
  if (sizeOf(size) === 0) return;
  if (r === 0) {
    dst[0] = src[0];
    return;
  }
  // Merge trailing axes the box spans fully in both arrays into the run.
  let k = r - 1;
  while (k > 0 && size[k] === srcShape[k] && size[k] === dstShape[k]) k--;
  const sStr = stridesOf(srcShape), dStr = stridesOf(dstShape);
  const run = size[k] * sStr[k]; // sStr[k] = product of the (full) trailing axes
  let so = 0, dOff = 0;
  for (let j = 0; j < r; j++) {
    so += srcBegin[j] * sStr[j];
    dOff += dstBegin[j] * dStr[j];
  }
  const idx = new Array<number>(k).fill(0);
  const count = sizeOf(size.slice(0, k));
  for (let n = 0; n < count; n++) {
    if (run >= 32) dst.set(src.subarray(so, so + run), dOff);
    else for (let i = 0; i < run; i++) dst[dOff + i] = src[so + i];
    for (let ax = k - 1; ax >= 0; ax--) {
      so += sStr[ax];
      dOff += dStr[ax];
      if (++idx[ax] < size[ax]) break;
      so -= sStr[ax] * size[ax];
      dOff -= dStr[ax] * size[ax];
      idx[ax] = 0;
    }
  }
}

function sliceKernel(args: KernelArgs) {
  const { x } = args.inputs;
  const attrs = args.attrs as { begin: number | number[]; size?: number | number[] };
  if (x.dtype !== "float32") return cpuKernel(Slice)(args);
  const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  // Contiguous slices are views in the cpu kernel: nothing to copy.
  if (slice_util.isSliceContinous(x.shape, begin, size)) return cpuKernel(Slice)(args);
  const dst = newF32(sizeOf(size));
  copyBox(f32(args.backend, x), x.shape, begin, dst, size, size.map(() => 0), size);
  return out(args.backend, size, dst);
}

function splitVKernel(args: KernelArgs) {
  const { x } = args.inputs;
  const attrs = args.attrs as { numOrSizeSplits: number | number[]; axis: number };
  if (x.dtype !== "float32") return cpuKernel(SplitV)(args);
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis);
  const src = f32(args.backend, x);
  const begin = x.shape.map(() => 0);
  return sizes.map((s) => {
    const shape = x.shape.slice();
    shape[axis] = s;
    const dst = newF32(sizeOf(shape));
    copyBox(src, x.shape, begin, dst, shape, shape.map(() => 0), shape);
    begin[axis] += s;
    return out(args.backend, shape, dst);
  });
}

function concatKernel(args: KernelArgs) {
  const inputs = args.inputs as unknown as TensorInfo[];
  if (!allFloat32(...inputs) || inputs.length === 0) return cpuKernel(Concat)(args);
  const axis = util.parseAxisParam(args.attrs!.axis as number, inputs[0].shape)[0];
  backend_util.assertParamsConsistent(inputs.map((t) => t.shape), axis);
  const shape = backend_util.computeOutShape(inputs.map((t) => t.shape), axis);
  const dst = newF32(sizeOf(shape));
  const begin = shape.map(() => 0);
  for (const t of inputs) {
    copyBox(f32(args.backend, t), t.shape, t.shape.map(() => 0), dst, shape, begin, t.shape);
    begin[axis] += t.shape[axis];
  }
  return out(args.backend, shape, dst);
}

function padKernel(args: KernelArgs) {
  const { x } = args.inputs;
  const { paddings, constantValue } = args.attrs as { paddings: [number, number][]; constantValue: number };
  if (x.dtype !== "float32") return cpuKernel(PadV2)(args);
  const shape = x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
  const dst = newF32(sizeOf(shape)).fill(constantValue);
  copyBox(f32(args.backend, x), x.shape, x.shape.map(() => 0), dst, shape, paddings.map((p) => p[0]), x.shape);
  return out(args.backend, shape, dst);
}

function tileKernel(args: KernelArgs) {
  const { x } = args.inputs;
  const reps = args.attrs!.reps as number[];
  if (x.dtype !== "float32") return cpuKernel(Tile)(args);
  const interleaved = x.shape.flatMap((d) => [1, d]); // (1, d0, 1, d1, …)
  const target = x.shape.flatMap((d, i) => [reps[i], d]); // (r0, d0, r1, d1, …)
  // ·1 copies exactly (keeps −0 and NaN payload-free values as they are).
  const r = binaryValues("Multiply", { values: f32(args.backend, x), shape: interleaved }, ONE, target);
  return out(args.backend, x.shape.map((d, i) => d * reps[i]), r.values);
}

const ONE = { values: new Float32Array([1]), shape: [] as number[] };

/**
 * GatherV2 as row copies: x seen as (batch, outer, dim, slice), the indices
 * as (batch, n), the output as (batch, outer, n, slice); each gathered slice
 * is one `set` from x's own storage (never a copy of x).
 */
function gatherKernel(args: KernelArgs) {
  const { x, indices } = args.inputs;
  if (x.dtype !== "float32" && x.dtype !== "int32") return cpuKernel(GatherV2)(args);
  const axis = util.parseAxisParam(args.attrs!.axis as number, x.shape)[0];
  const batchDims = (args.attrs!.batchDims as number | undefined) ?? 0;
  const idx = args.backend.data.get(indices.dataId).values as Int32Array | Float32Array;
  const dim = x.shape[axis];
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i];
    if (!(v >= 0 && v <= dim - 1)) {
      throw new RangeError(`GatherV2: the index value ${v} is not in [0, ${dim - 1}] (axis ${axis} of shape [${x.shape}])`);
    }
  }
  const info = backend_util.segment_util.collectGatherOpShapeInfo(x, indices, axis, batchDims);
  const { batchSize, outerSize, dimSize, sliceSize } = info;
  const perBatch = idx.length / batchSize;
  const src = args.backend.data.get(x.dataId).values as Float32Array | Int32Array;
  const n = batchSize * outerSize * perBatch * sliceSize;
  const dst = x.dtype === "float32" ? newF32(n) : new Int32Array(n);
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let q = 0; q < outerSize; q++) {
      const base = (b * outerSize + q) * dimSize;
      for (let j = 0; j < perBatch; j++) {
        const start = (base + idx[b * perBatch + j]) * sliceSize;
        if (sliceSize >= 16) dst.set(src.subarray(start, start + sliceSize), o);
        else for (let k = 0; k < sliceSize; k++) dst[o + k] = src[start + k];
        o += sliceSize;
      }
    }
  }
  return args.backend.makeTensorInfo(info.outputShape, x.dtype, dst);
}

/** Kernel configs of this file. */
export const copyConfigs = [
  blasConfig(Slice, sliceKernel),
  blasConfig(SplitV, splitVKernel),
  blasConfig(Concat, concatKernel),
  blasConfig(PadV2, padKernel),
  blasConfig(Tile, tileKernel),
  blasConfig(GatherV2, gatherKernel),
];
