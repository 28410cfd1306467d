/**
 * BatchMatMul and _FusedMatMul for the "webgpu" backend with `transposeB`
 * done as an explicit transpose of B first. TF.js's matmul programs read a
 * transposed B column-wise; measured on lavapipe, x·Wᵀ for x [1024, 256] and
 * W [1024, 256] took 570 ms that way and 214 ms on a pre-transposed W (the
 * transpose itself about 8 ms). Every Linear layer of the model is x·Wᵀ
 * (PyTorch's [out, in] weight layout). The result is the same product; only
 * the summation order within a dot product may differ.
 *
 * References: TensorFlow.js `tfjs-backend-webgpu/src/kernels/BatchMatMul_impl.ts`
 * (the programs and their transposeB reads).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { WebGPUBackend } from "./_webgpu_types.ts";

/** B with fewer elements than this keeps the stock transposed read (the extra dispatch would cost more). */
export const PRETRANSPOSE_MIN_ELEMENTS = 4096;

/**
 * @param stock the stock webgpu kernel (BatchMatMul or _FusedMatMul: both take inputs a, b and attrs transposeB)
 * @param options the kernel name
 * @returns the kernel config replacing it
 */
export function pretransposedMatMul(stock: KernelFunc, options: { kernelName: string }): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const b = args.inputs.b as TensorInfo;
    const attrs = args.attrs as { transposeB: boolean };
    if (!attrs.transposeB || tf.util.sizeFromShape(b.shape) < PRETRANSPOSE_MIN_ELEMENTS) return stock(args);
    const rank = b.shape.length;
    const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2]; // (..., K, N) from (..., N, K)
    const transpose = tf.getKernel(tf.Transpose, "webgpu")!.kernelFunc;
    const bt = transpose({ inputs: { x: b }, backend: args.backend, attrs: { perm } }) as TensorInfo;
    try {
      return stock({ ...args, inputs: { ...args.inputs, b: bt }, attrs: { ...attrs, transposeB: false } });
    } finally {
      (args.backend as unknown as WebGPUBackend).disposeData(bt.dataId);
    }
  };
  return { kernelName: options.kernelName, backendName: "webgpu", kernelFunc };
}
