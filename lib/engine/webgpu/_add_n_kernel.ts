/**
 * AddN for the "webgpu" backend with any number of inputs. The stock kernel
 * binds every input as its own storage buffer in one shader, so past the
 * device's `maxStorageBuffersPerShaderStage` (8 by default, 32 on lavapipe
 * when requested) the pipeline is invalid and the sum silently stays zero —
 * the training loop's global gradient norm, `tf.addN` over every parameter's
 * squared sum, hit this. Here the inputs are summed in chunks that fit, then
 * the partial sums.
 *
 * References: TensorFlow.js `tfjs-backend-webgpu/src/kernels/AddN.ts`, and its
 * Concat kernel, which chunks its inputs the same way.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { WebGPUBackend } from "./_webgpu_types.ts";

/**
 * @param stock the stock webgpu AddN kernel
 * @returns the kernel config replacing it
 */
export function addNKernel(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const tensors = args.inputs as unknown as TensorInfo[];
    const backend = args.backend as unknown as WebGPUBackend;
    const max = backend.device.limits.maxStorageBuffersPerShaderStage - 1; // one binding is the output
    if (tensors.length <= max) return stock(args);
    const partials: TensorInfo[] = [];
    let parts = tensors;
    while (parts.length > max) {
      const next: TensorInfo[] = [];
      for (let i = 0; i < parts.length; i += max) {
        const chunk = parts.slice(i, i + max);
        if (chunk.length === 1) next.push(chunk[0]);
        else {
          const sum = stock({ ...args, inputs: chunk as unknown as tf.NamedTensorInfoMap }) as TensorInfo;
          partials.push(sum);
          next.push(sum);
        }
      }
      parts = next;
    }
    const out = stock({ ...args, inputs: parts as unknown as tf.NamedTensorInfoMap }) as TensorInfo;
    for (const p of partials) backend.disposeData(p.dataId);
    return out;
  };
  return { kernelName: tf.AddN, backendName: "webgpu", kernelFunc };
}
