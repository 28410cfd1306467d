/**
 * The "blas" TensorFlow.js backend: the cpu backend's tensor storage and
 * kernels, with the hot kernels replaced — matmul and convolutions through
 * OpenBLAS sgemm (Deno FFI), and element-wise, reduction, softmax,
 * transpose, slice/split/concat/pad kernels as tight typed-array loops.
 *
 * Every cpu kernel is re-registered under "blas" first, so any op without a
 * fast kernel still works (and every fast kernel falls back to the cpu one for
 * dtypes or layouts it does not handle). Gradients are TensorFlow.js's own
 * (compositions of these kernels), except Softmax, Tanh, Sigmoid, Square, Sum
 * and Mean, whose gradients get single-pass kernels while blas is active
 * (see _fused.ts), and the fused ops `geluTanh`, `fusedAttention`,
 * `fusedLayerNorm` and `fusedRmsNorm`. Output arrays of the fast kernels are
 * recycled once their tensors are released (see _pool.ts); `dataSync()`
 * returns copies of them, never the backend's own array.
 *
 * References: TensorFlow.js backend API (`tf.registerBackend`,
 * `tf.registerKernel`, `tf.getKernelsForBackend`); OpenBLAS.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { registerBlasBackend } from "./blas_backend.ts";
 * const info = registerBlasBackend({ threads: 1 });
 * await tf.setBackend("blas");
 * console.log(info.coreType, tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).arraySync());
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
// Registers TensorFlow.js's gradients (see init_engine.ts), which the fused gradients wrap.
import "@tensorflow/tfjs";
import { loadOpenBlas } from "./_ffi.ts";
import { bindMatMulBlas, matMulConfigs } from "./_matmul.ts";
import { bindConvBlas, convConfigs } from "./_conv.ts";
import { binaryConfigs } from "./_elementwise.ts";
import { unaryConfigs } from "./_unary.ts";
import { reduceConfigs } from "./_reduce.ts";
import { softmaxConfigs } from "./_softmax.ts";
import { transposeConfigs } from "./_transpose.ts";
import { fusedConfigs, installFusedGradients } from "./_fused.ts";
import { attentionConfigs, bindAttentionBlas } from "./_attention.ts";
import { normConfigs } from "./_norm.ts";
import { copyConfigs } from "./_copy.ts";
import { isPooled, noteReleased, noteStored } from "./_pool.ts";

/** The backend's name in the TensorFlow.js registry. */
export const BLAS_BACKEND_NAME = "blas";

/** What the blas backend runs on. */
export interface BlasInfo {
  /** Path of the OpenBLAS shared library. */
  library: string;
  /** OpenBLAS version, e.g. "0.3.21". */
  version: string;
  /** `openblas_get_config()`. */
  config: string;
  /** OpenBLAS kernel family, e.g. "SkylakeX". */
  coreType: string;
  /** OpenBLAS threads in use. */
  threads: number;
  /** Kernels replaced by fast implementations. */
  kernels: string[];
}

/** Options of {@link registerBlasBackend}. */
export interface BlasBackendOptions {
  /** OpenBLAS threads (default 1). */
  threads?: number;
  /** Library path (default: the first found, see `findOpenBlas`). */
  library?: string;
}

let registeredKernels: string[] | null = null;

/**
 * The cpu backend's storage with output recycling (see _pool.ts): data the
 * fast kernels allocated returns to the pool when released, and readSync
 * hands out copies of such arrays so user code never aliases them.
 */
class BlasBackend extends MathBackendCPU {
  constructor() {
    super();
    // The cpu backend prints a "use tfjs-node" hint on first write under Node-like runtimes.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  override write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): tf.DataId {
    noteStored(values);
    return super.write(values, shape, dtype);
  }

  override move(
    dataId: tf.DataId,
    values: tf.backend_util.BackendValues,
    shape: number[],
    dtype: tf.DataType,
    refCount: number,
  ) {
    noteStored(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: tf.DataId): tf.backend_util.BackendValues {
    const values = super.readSync(dataId);
    return isPooled(values) ? (values as Float32Array).slice() : values;
  }

  override disposeData(dataId: tf.DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const result = super.disposeData(dataId, force);
    if (values !== undefined && !this.data.has(dataId)) noteReleased(values);
    return result;
  }
}

/**
 * Loads OpenBLAS and registers the "blas" backend (once per process; later
 * calls only change the thread count). Does not switch to it: call
 * `tf.setBackend("blas")` or `initEngine({ backend: "blas" })`.
 *
 * @param options threads and library path
 * @returns the library in use and the replaced kernels
 * @throws Error when OpenBLAS cannot be found or loaded
 */
export function registerBlasBackend(options: BlasBackendOptions = {}): BlasInfo {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`Cannot register the blas backend as threads must be an integer >= 1: received ${threads}`);
  }
  const blas = loadOpenBlas(options.library);
  blas.setThreads(threads);
  if (!registeredKernels) {
    bindMatMulBlas(blas);
    bindConvBlas(blas);
    bindAttentionBlas(blas);
    const fast = [
      ...matMulConfigs,
      ...convConfigs,
      ...binaryConfigs,
      ...unaryConfigs,
      ...reduceConfigs,
      ...softmaxConfigs,
      ...transposeConfigs,
      ...fusedConfigs,
      ...attentionConfigs,
      ...normConfigs,
      ...copyConfigs,
    ];
    const fastNames = new Set(fast.map((k) => k.kernelName));
    for (const k of tf.getKernelsForBackend("cpu")) {
      if (!fastNames.has(k.kernelName)) tf.registerKernel({ ...k, backendName: BLAS_BACKEND_NAME });
    }
    for (const k of fast) tf.registerKernel(k);
    installFusedGradients();
    tf.registerBackend(BLAS_BACKEND_NAME, () => new BlasBackend(), 3);
    registeredKernels = [...fastNames].sort();
  }
  return {
    library: blas.path,
    version: blas.version,
    config: blas.config,
    coreType: blas.coreType,
    threads: blas.getThreads(),
    kernels: registeredKernels,
  };
}
