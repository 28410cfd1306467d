/**
 * TensorFlow.js's WebGPU backend as a workbench engine backend ("webgpu"):
 * adapter probing and description, registration with the binding-size guard
 * and the workbench's own kernels, and the buffer-limit checks.
 *
 * @module
 */
export { describeAdapter } from "./describe_adapter.ts";
export type { AdapterInfo, AdapterLike } from "./describe_adapter.ts";
export { NO_ADAPTER_HINT, probeWebGpu } from "./probe_web_gpu.ts";
export type { ProbeWebGpuOptions, WebGpuProbe } from "./probe_web_gpu.ts";
export { registerWebGpuBackend } from "./register_web_gpu_backend.ts";
export type { WebGpuBackendOptions, WebGpuSetup } from "./register_web_gpu_backend.ts";
export { checkBufferBytes } from "./check_buffer_bytes.ts";
export type { CheckBufferBytesOptions } from "./check_buffer_bytes.ts";
