/**
 * Transpose for the blas backend.
 *
 * The permutation is first simplified: size-1 axes are dropped and input axes
 * that stay adjacent and in order are merged (the attention head permute
 * [B, L, H, D] → [B, H, L, D] becomes [B, L, H, (D)] → [B, H, L, (D)] with a
 * contiguous D block). Then either contiguous rows are copied (the last axis
 * stays last) or a cache-tiled 2-D transpose runs under an odometer over the
 * remaining axes.
 *
 * References: TensorFlow.js `Transpose` kernel semantics (out.shape[i] = x.shape[perm[i]]).
 */
import { Transpose } from "@tensorflow/tfjs-core";
import { blasConfig, cpuKernel, type KernelArgs, out, sizeOf, stridesOf } from "./_kernel_utils.ts";
import { newF32 } from "./_pool.ts";

type Values = Float32Array | Int32Array;

const TILE = 32;

/**
 * Transposes row-major `x` of `shape` by `perm`.
 * @param x values
 * @param shape shape of x
 * @param perm output axis i is input axis perm[i]
 * @returns the transposed values (a new array of the same type)
 */
export function transposeValues<T extends Values>(x: T, shape: readonly number[], perm: readonly number[]): T {
  const result = x instanceof Float32Array
    ? newF32(x.length) as T
    : new (x.constructor as { new (n: number): T })(x.length);
  if (x.length === 0) return result;
  const { inShape, perm: p } = simplify(shape, perm);
  const r = p.length;
  if (r <= 1) {
    result.set(x);
    return result;
  }
  const inStrides = stridesOf(inShape);
  const outShape = p.map((a) => inShape[a]);
  if (p[r - 1] === r - 1) {
    copyRows(x, result, outShape, p.map((a) => inStrides[a]), outShape[r - 1]);
  } else {
    tiled(x, result, inShape, p, inStrides);
  }
  return result;
}

/** Drops size-1 axes and merges runs of input axes that stay consecutive. */
function simplify(shape: readonly number[], perm: readonly number[]): { inShape: number[]; perm: number[] } {
  const keep = shape.map((d) => d !== 1);
  const newIndex: number[] = [];
  let k = 0;
  for (let i = 0; i < shape.length; i++) newIndex[i] = keep[i] ? k++ : -1;
  const inShape0 = shape.filter((_, i) => keep[i]);
  const perm0 = perm.filter((a) => keep[a]).map((a) => newIndex[a]);
  // Merge output-adjacent axes a, a+1 (in input order) into one.
  const groups: number[][] = [];
  for (const a of perm0) {
    const last = groups.at(-1);
    if (last && last.at(-1)! + 1 === a) last.push(a);
    else groups.push([a]);
  }
  const order = groups.map((g) => g[0]).sort((a, b) => a - b);
  const groupOfFirst = new Map(groups.map((g) => [g[0], g]));
  const inShape = order.map((first) => groupOfFirst.get(first)!.reduce((acc, a) => acc * inShape0[a], 1));
  const rank = new Map(order.map((first, i) => [first, i]));
  return { inShape, perm: groups.map((g) => rank.get(g[0])!) };
}

/** out[o] = x[...] when the last axis is contiguous in both: copy rows of length `row`. */
function copyRows(x: Values, result: Values, outShape: number[], inStridesByOut: number[], row: number) {
  const r = outShape.length;
  const rows = sizeOf(outShape) / row;
  const idx = new Array<number>(r - 1).fill(0);
  let src = 0;
  for (let o = 0, dst = 0; o < rows; o++, dst += row) {
    if (row >= 64) {
      result.set(x.subarray(src, src + row), dst);
    } else {
      for (let j = 0; j < row; j++) result[dst + j] = x[src + j];
    }
    // odometer over the outer output axes
    for (let ax = r - 2; ax >= 0; ax--) {
      src += inStridesByOut[ax];
      if (++idx[ax] < outShape[ax]) break;
      src -= inStridesByOut[ax] * outShape[ax];
      idx[ax] = 0;
    }
  }
}

/**
 * General case: the output's last axis `c` (input axis p[r-1]) is strided in
 * the input, and the input's last axis (contiguous) sits at output position q.
 * Each (rows of c) × (columns of input-last) plane is transposed in TILE×TILE
 * blocks; an odometer walks the other axes.
 */
function tiled(x: Values, result: Values, inShape: number[], p: number[], inStrides: number[]) {
  const r = p.length;
  const outShape = p.map((a) => inShape[a]);
  const outStrides = stridesOf(outShape);
  const q = p.indexOf(r - 1); // output position of the input's last axis
  const nC = outShape[r - 1];
  const cInStride = inStrides[p[r - 1]];
  const nL = inShape[r - 1];
  const lOutStride = outStrides[q];
  const others = [...Array(r).keys()].filter((i) => i !== r - 1 && i !== q);
  const oShape = others.map((i) => outShape[i]);
  const oIn = others.map((i) => inStrides[p[i]]);
  const oOut = others.map((i) => outStrides[i]);
  const count = sizeOf(oShape);
  const idx = new Array<number>(others.length).fill(0);
  let inBase = 0, outBase = 0;
  for (let n = 0; n < count; n++) {
    for (let c0 = 0; c0 < nC; c0 += TILE) {
      const c1 = Math.min(c0 + TILE, nC);
      for (let l0 = 0; l0 < nL; l0 += TILE) {
        const l1 = Math.min(l0 + TILE, nL);
        for (let c = c0; c < c1; c++) {
          const src = inBase + c * cInStride;
          const dst = outBase + c;
          for (let l = l0; l < l1; l++) result[dst + l * lOutStride] = x[src + l];
        }
      }
    }
    for (let ax = others.length - 1; ax >= 0; ax--) {
      inBase += oIn[ax];
      outBase += oOut[ax];
      if (++idx[ax] < oShape[ax]) break;
      inBase -= oIn[ax] * oShape[ax];
      outBase -= oOut[ax] * oShape[ax];
      idx[ax] = 0;
    }
  }
}

const fallback = cpuKernel(Transpose);

function transposeKernel({ inputs, backend, attrs }: KernelArgs) {
  const { x } = inputs;
  const perm = attrs!.perm as number[];
  if (x.dtype !== "float32" && x.dtype !== "int32") return fallback({ inputs, backend, attrs });
  const values = backend.data.get(x.dataId).values as Values;
  const shape = perm.map((a) => x.shape[a]);
  if (x.dtype === "int32") {
    return backend.makeTensorInfo(shape, "int32", transposeValues(values as Int32Array, x.shape, perm));
  }
  return out(backend, shape, transposeValues(values as Float32Array, x.shape, perm));
}

/** Kernel configs of this file. */
export const transposeConfigs = [blasConfig(Transpose, transposeKernel)];
