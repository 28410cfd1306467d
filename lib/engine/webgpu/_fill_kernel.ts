/**
 * Fill for the "webgpu" backend that keeps small constants on the CPU side
 * (uploaded when a GPU kernel first reads them), like the values of
 * `tf.tensor`. The stock kernel writes every fill with a GPU program, so
 * `tf.fill([B], t)` (the sampler's timesteps) became GPU-resident and the
 * model's synchronous read of t failed (Deno has no synchronous GPU
 * read-back). Large fills keep the stock GPU program.
 *
 * References: TensorFlow.js `tfjs-backend-webgpu/src/kernels/Fill.ts`, and
 * its CPU hand-off size threshold (`WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD`, 1000).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { DataType, KernelConfig, KernelFunc } from "@tensorflow/tfjs-core";
import type { WebGPUBackend } from "./_webgpu_types.ts";

/** Fills up to this many elements are written on the CPU. */
export const CPU_FILL_LIMIT = 1000;

/**
 * @param stock the stock webgpu Fill kernel
 * @returns the kernel config replacing it
 */
export function fillKernel(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { shape, value, dtype } = args.attrs as unknown as {
      shape: number[];
      value: number | string;
      dtype?: DataType;
    };
    const size = tf.util.sizeFromShape(shape);
    const type = dtype ?? tf.util.inferDtype(value);
    if (size > CPU_FILL_LIMIT || type === "string" || type === "complex64") return stock(args);
    const values = tf.util.getTypedArrayFromDType(type as "float32" | "int32" | "bool", size);
    values.fill(Number(value));
    return (args.backend as unknown as WebGPUBackend).makeTensorInfo(shape, type, values);
  };
  return { kernelName: tf.Fill, backendName: "webgpu", kernelFunc };
}
