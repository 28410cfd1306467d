/**
 * The one place that names the TF.js WebGPU backend package (a full npm
 * specifier until deno.json maps "@tensorflow/tfjs-backend-webgpu"). Importing
 * it registers the stock "webgpu" kernels; only modules loaded after the
 * adapter check import this file.
 */
export { webgpu_util as webgpuUtil, WebGPUBackend } from "@tensorflow/tfjs-backend-webgpu";
export type { WebGPUProgram } from "@tensorflow/tfjs-backend-webgpu";
