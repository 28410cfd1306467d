/**
 * Registers TensorFlow.js's WebGPU backend as "webgpu" on the adapter Deno
 * finds, with the workbench's own pieces: a binding-size guard on every GPU
 * dispatch, a clear error for synchronous reads of GPU data, and our
 * Transpose for ranks above 6. Makes it the active backend.
 *
 * A software adapter (lavapipe, SwiftShader…) is refused unless
 * `allowSoftware` is set: `initEngine` sets it when "webgpu" is asked for by
 * name, never in "auto".
 *
 * References: TF.js `tfjs-backend-webgpu/src/base.ts` (device request with the
 * adapter's buffer limits); W3C WebGPU §4 `requestDevice` (`requiredLimits`).
 *
 * @example
 * ```ts ignore
 * // deno run --unstable-webgpu -A example.ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { registerWebGpuBackend } from "./register_web_gpu_backend.ts";
 * const { adapter } = await registerWebGpuBackend({ allowSoftware: true });
 * console.log(tf.getBackend(), adapter.description); // "webgpu" "llvmpipe (LLVM 15.0.6, 256 bits)"
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import type { AdapterInfo } from "./describe_adapter.ts";
import { probeWebGpu } from "./probe_web_gpu.ts";

/** Options of {@link registerWebGpuBackend}. */
export interface WebGpuBackendOptions {
  /** Accept a software (CPU-emulated) adapter (default false). */
  allowSoftware?: boolean;
  /**
   * Bytes one tensor may take; default and upper bound the device's
   * maxStorageBufferBindingSize (a lower value tests the guard cheaply).
   */
  bindingLimit?: number;
}

/** What {@link registerWebGpuBackend} set up. */
export interface WebGpuSetup {
  adapter: AdapterInfo;
  /** The per-tensor byte limit the guard enforces. */
  bindingLimit: number;
  /** Stock "webgpu" kernels replaced by the workbench's own. */
  kernels: string[];
}

let current: { setup: WebGpuSetup; backend: unknown } | null = null;

/**
 * @param options software adapters and the binding limit
 * @returns the adapter, the enforced limit and our kernels
 * @throws Error saying why WebGPU cannot be used (no API, no adapter, software adapter not allowed)
 */
export async function registerWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuSetup> {
  if (current && tf.findBackend("webgpu") === current.backend && options.bindingLimit === undefined) {
    if (current.setup.adapter.software && !options.allowSoftware) throw softwareError(current.setup.adapter);
    await activate();
    return current.setup;
  }
  const probe = await probeWebGpu();
  if (!probe.ok) throw new Error(probe.reason);
  const { adapter, info } = probe;
  if (info.software && !options.allowSoftware) throw softwareError(info);
  const deviceLimit = info.limits.maxStorageBufferBindingSize;
  const bindingLimit = Math.min(options.bindingLimit ?? deviceLimit, deviceLimit);
  if (!(bindingLimit > 0)) {
    throw new RangeError(`Cannot register webgpu as bindingLimit must be > 0 bytes: received ${options.bindingLimit}`);
  }
  const wanted = [
    "maxComputeWorkgroupStorageSize",
    "maxComputeWorkgroupsPerDimension",
    "maxStorageBufferBindingSize",
    "maxBufferSize",
    "maxComputeWorkgroupSizeX",
    "maxComputeInvocationsPerWorkgroup",
    "maxStorageBuffersPerShaderStage",
  ];
  const requiredLimits: Record<string, number> = {};
  for (const k of wanted) if (info.limits[k] !== undefined) requiredLimits[k] = info.limits[k];
  const requiredFeatures = adapter.features.has("timestamp-query") ? ["timestamp-query" as GPUFeatureName] : [];
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  // Loaded only now: importing the package registers the stock kernels.
  const { WorkbenchWebGpuBackend, installKernels } = await import("./_workbench_backend.ts");
  if (tf.findBackendFactory("webgpu")) tf.removeBackend("webgpu");
  const backend = new WorkbenchWebGpuBackend(device, { adapterInfo: adapter.info, bindingLimit });
  tf.registerBackend("webgpu", () => backend, 1);
  const kernels = installKernels();
  current = { setup: { adapter: info, bindingLimit, kernels }, backend };
  await activate();
  return current.setup;
}

async function activate(): Promise<void> {
  if (!(await tf.setBackend("webgpu"))) throw new Error('tf.setBackend("webgpu") failed');
  await tf.ready();
}

function softwareError(info: AdapterInfo): Error {
  return new Error(
    `the WebGPU adapter is a software one (${info.description || info.vendor}; ${info.softwareReason}): ` +
      `used only when asked for by name (--backend webgpu)`,
  );
}
