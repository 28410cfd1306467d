/**
 * Small helpers shared by the "blas" kernels: reading a tensor's values from
 * the cpu-style storage, writing outputs, and falling back to the stock cpu
 * kernel when a fast path does not apply.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";

/** The arguments every kernel function receives. */
export interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: MathBackendCPU;
  attrs?: NamedAttrMap;
}

/** A kernel of the blas backend (same storage as the cpu backend). */
export type BlasKernel = (args: KernelArgs) => TensorInfo | TensorInfo[];

/** The float32 values of `t` (no copy). */
export function f32(backend: MathBackendCPU, t: TensorInfo): Float32Array {
  return backend.data.get(t.dataId).values as Float32Array;
}

/** A new float32 tensor owning `values`. */
export function out(backend: MathBackendCPU, shape: number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo(shape, "float32", values);
}

/** Whether every tensor is float32 (the only dtype the fast kernels handle). */
export function allFloat32(...ts: (TensorInfo | undefined)[]): boolean {
  return ts.every((t) => t == null || t.dtype === "float32");
}

/** The stock cpu implementation of `kernelName`, used when a fast path does not apply. */
export function cpuKernel(kernelName: string): BlasKernel {
  let fn: BlasKernel | null = null;
  return (args) => {
    if (!fn) {
      const config = tf.getKernel(kernelName, "cpu");
      if (!config) {
        throw new Error(`Cannot find the cpu kernel "${kernelName}": import @tensorflow/tfjs-backend-cpu first`);
      }
      fn = config.kernelFunc as unknown as BlasKernel;
    }
    return fn(args);
  };
}

/** A kernel config for the blas backend. */
export function blasConfig(kernelName: string, kernelFunc: BlasKernel): KernelConfig {
  return { kernelName, backendName: "blas", kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** Row-major strides of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Number of elements of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
