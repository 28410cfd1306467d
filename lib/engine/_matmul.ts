/**
 * BatchMatMul and _FusedMatMul through OpenBLAS `cblas_sgemm`.
 *
 * Each batch entry is one sgemm call on pointers into the operands (no
 * copies); batch axes broadcast like numpy. When B is shared by every batch
 * entry and A is not transposed, the whole batch is folded into the rows of a
 * single sgemm ([batch·M, K] × [K, N]), which is how a Linear layer on a
 * [B, L, C] input runs.
 *
 * References: TensorFlow.js `BatchMatMul` / `_FusedMatMul` kernels (attrs
 * transposeA, transposeB, activation, bias broadcast to the output);
 * OpenBLAS cblas_sgemm (row-major, lda = columns of A as stored).
 */
import { _FusedMatMul, backend_util, BatchMatMul, type TensorInfo } from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { OpenBlas } from "./_ffi.ts";
import { allFloat32, blasConfig, cpuKernel, f32, type KernelArgs, out, sizeOf, stridesOf } from "./_kernel_utils.ts";
import { biasActivation } from "./_activation.ts";
import { newF32, noteReleased } from "./_pool.ts";

/** Shapes of a batched product, as TensorFlow.js defines them. */
export interface MatMulGeometry {
  m: number;
  n: number;
  k: number;
  outShape: number[];
  batchShape: number[];
}

/**
 * Output geometry of op(a) · op(b) with broadcast batch axes.
 * @param aShape shape of a (rank >= 2)
 * @param bShape shape of b (rank >= 2)
 * @param options transposeA / transposeB
 * @returns m, n, k and the output shape
 */
export function matMulGeometry(
  aShape: readonly number[],
  bShape: readonly number[],
  options: { transposeA: boolean; transposeB: boolean },
): MatMulGeometry {
  const ra = aShape.length, rb = bShape.length;
  if (ra < 2 || rb < 2) {
    throw new RangeError(`Cannot multiply matrices as both must have rank >= 2: received [${aShape}] and [${bShape}]`);
  }
  const m = options.transposeA ? aShape[ra - 1] : aShape[ra - 2];
  const k = options.transposeA ? aShape[ra - 2] : aShape[ra - 1];
  const kb = options.transposeB ? bShape[rb - 1] : bShape[rb - 2];
  const n = options.transposeB ? bShape[rb - 2] : bShape[rb - 1];
  if (k !== kb) {
    throw new RangeError(
      `Cannot multiply matrices as inner dimensions differ: ${k} (a [${aShape}], transposeA=${options.transposeA}) ` +
        `vs ${kb} (b [${bShape}], transposeB=${options.transposeB})`,
    );
  }
  const batchShape = backend_util.assertAndGetBroadcastShape(
    aShape.slice(0, -2) as number[],
    bShape.slice(0, -2) as number[],
  );
  return { m, n, k, batchShape, outShape: [...batchShape, m, n] };
}

/**
 * op(a) · op(b) for float32 values, batched with broadcasting.
 * @param blas the loaded OpenBLAS
 * @param a values and shape of a
 * @param b values and shape of b
 * @param options transposeA / transposeB; rowBias (length N) is added to every
 *   output row by the sgemm itself (C starts as the bias, beta = 1)
 * @returns the product's values and shape
 */
export function matMulValues(
  blas: OpenBlas,
  a: { values: Float32Array; shape: readonly number[] },
  b: { values: Float32Array; shape: readonly number[] },
  options: { transposeA: boolean; transposeB: boolean; rowBias?: Float32Array },
): { values: Float32Array; shape: number[] } {
  const { transposeA, transposeB, rowBias } = options;
  const { m, n, k, batchShape, outShape } = matMulGeometry(a.shape, b.shape, options);
  const result = newF32(sizeOf(outShape));
  if (result.length === 0) return { values: result, shape: outShape };
  const beta = rowBias ? 1 : 0;
  if (rowBias) {
    if (rowBias.length !== n) {
      throw new RangeError(`Cannot add a row bias of length ${rowBias.length} to a product with ${n} columns`);
    }
    for (let off = 0; off < result.length; off += n) result.set(rowBias, off);
  }
  const lda = transposeA ? m : k;
  const ldb = transposeB ? k : n;
  const batch = sizeOf(batchShape);
  const aBatch = sizeOf(a.shape.slice(0, -2));
  const bBatch = sizeOf(b.shape.slice(0, -2));
  if (bBatch === 1 && !transposeA && aBatch === batch) {
    // [batch·M, K] × [K, N]: one call.
    blas.sgemm(false, transposeB, batch * m, n, k, 1, a.values, 0, lda, b.values, 0, ldb, beta, result, 0, n);
    return { values: result, shape: outShape };
  }
  const aIndex = batchIndexer(a.shape.slice(0, -2), batchShape);
  const bIndex = batchIndexer(b.shape.slice(0, -2), batchShape);
  const aStep = m * k, bStep = k * n, cStep = m * n;
  for (let i = 0; i < batch; i++) {
    blas.sgemm(
      transposeA,
      transposeB,
      m,
      n,
      k,
      1,
      a.values,
      aIndex(i) * aStep,
      lda,
      b.values,
      bIndex(i) * bStep,
      ldb,
      beta,
      result,
      i * cStep,
      n,
    );
  }
  return { values: result, shape: outShape };
}

/** Maps a flat index over `outBatch` to the flat index into an operand's (broadcast) batch. */
function batchIndexer(batch: readonly number[], outBatch: readonly number[]): (i: number) => number {
  const size = sizeOf(batch);
  if (size === 1) return () => 0;
  const padded = [...Array(outBatch.length - batch.length).fill(1), ...batch];
  if (padded.every((d, i) => d === outBatch[i])) return (i) => i;
  const inStrides = stridesOf(padded);
  const outStrides = stridesOf(outBatch);
  return (i) => {
    let j = 0;
    for (let ax = 0; ax < outBatch.length; ax++) {
      const coord = Math.floor(i / outStrides[ax]) % outBatch[ax];
      if (padded[ax] !== 1) j += coord * inStrides[ax];
    }
    return j;
  };
}

let blasLib: OpenBlas | null = null;

/** Binds the matmul kernels to a loaded OpenBLAS (called once at registration). */
export function bindMatMulBlas(blas: OpenBlas) {
  blasLib = blas;
}

function lib(): OpenBlas {
  if (!blasLib) throw new Error("Cannot run the blas matmul kernels before registerBlasBackend()");
  return blasLib;
}

function product(
  backend: MathBackendCPU,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  rowBias?: Float32Array,
) {
  return matMulValues(lib(), { values: f32(backend, a), shape: a.shape }, { values: f32(backend, b), shape: b.shape }, {
    transposeA,
    transposeB,
    rowBias,
  });
}

const batchMatMulFallback = cpuKernel(BatchMatMul);

function batchMatMulKernel(args: KernelArgs) {
  const { a, b } = args.inputs;
  if (!allFloat32(a, b)) return batchMatMulFallback(args);
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  const r = product(args.backend, a, b, !!transposeA, !!transposeB);
  return out(args.backend, r.shape, r.values);
}

const fusedFallback = cpuKernel(_FusedMatMul);

function fusedMatMulKernel(args: KernelArgs) {
  const { a, b, bias, preluActivationWeights } = args.inputs;
  if (!allFloat32(a, b, bias, preluActivationWeights)) return fusedFallback(args);
  const { backend } = args;
  const attrs = args.attrs as { transposeA: boolean; transposeB: boolean; activation: string; leakyreluAlpha?: number };
  // A bias of shape [N] or [1, N] is added by the sgemm itself; others broadcast afterwards.
  const n = attrs.transposeB ? b.shape.at(-2)! : b.shape.at(-1)!;
  const rowBias = bias && bias.shape.every((d, i) => d === 1 || (i === bias.shape.length - 1 && d === n)) &&
    bias.shape.length <= 2 && bias.shape.at(-1) === n;
  const y = product(backend, a, b, !!attrs.transposeA, !!attrs.transposeB, rowBias ? f32(backend, bias) : undefined);
  const r = biasActivation(y, {
    bias: bias && !rowBias ? { values: f32(backend, bias), shape: bias.shape } : undefined,
    activation: attrs.activation,
    prelu: preluActivationWeights &&
      { values: f32(backend, preluActivationWeights), shape: preluActivationWeights.shape },
    leakyreluAlpha: attrs.leakyreluAlpha,
  });
  if (r.values !== y.values) noteReleased(y.values);
  return out(backend, r.shape, r.values);
}

/** Kernel configs of this file. */
export const matMulConfigs = [
  blasConfig(BatchMatMul, batchMatMulKernel),
  blasConfig(_FusedMatMul, fusedMatMulKernel),
];
