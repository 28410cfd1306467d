/**
 * What a WebGPU adapter is, as plain JSON for a run's config.json: vendor,
 * architecture, device, description, whether it is a software (fallback)
 * adapter, its limits and features.
 *
 * A software adapter (Mesa's lavapipe/llvmpipe, SwiftShader, WARP) runs the
 * shaders on the CPU: correct, but slower than the CPU backends, so the engine
 * uses one only when asked for by name.
 *
 * References: W3C WebGPU §3.5 `GPUAdapterInfo` (vendor, architecture, device,
 * description, isFallbackAdapter) and §3.6 `GPUSupportedLimits`; Vulkan
 * `VkVendorId` (VK_VENDOR_ID_MESA = 0x10005, reported by lavapipe).
 *
 * @example
 * ```ts ignore
 * import { describeAdapter } from "./describe_adapter.ts";
 * const adapter = await navigator.gpu.requestAdapter();
 * if (adapter) console.log(describeAdapter(adapter).software);
 * ```
 */

/** JSON description of a WebGPU adapter. */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** A CPU-emulated device (fallback adapter, Mesa's software vendor id, or a software renderer's name). */
  software: boolean;
  /** Why `software` is true, e.g. "isFallbackAdapter" or "description llvmpipe". */
  softwareReason?: string;
  /** Every numeric limit, e.g. maxStorageBufferBindingSize, maxBufferSize, maxComputeWorkgroupStorageSize. */
  limits: Record<string, number>;
  features: string[];
}

/** The parts of a GPUAdapter read here (older Deno put isFallbackAdapter on the adapter itself). */
export interface AdapterLike {
  info?: Partial<Pick<GPUAdapterInfo, "vendor" | "architecture" | "device" | "description">> & {
    isFallbackAdapter?: boolean;
  };
  isFallbackAdapter?: boolean;
  limits: object;
  features: Iterable<string>;
}

/** Vulkan's vendor id for Mesa's software devices (lavapipe), as wgpu reports it. */
const MESA_VENDOR_IDS = new Set(["mesa", "65541", "0x10005"]);
const SOFTWARE_NAME = /llvmpipe|lavapipe|softpipe|swiftshader|software|microsoft basic render|\bwarp\b/i;

/**
 * @param adapter a GPUAdapter (or an object of the same shape)
 * @returns its description, limits and whether it is a software adapter
 */
export function describeAdapter(adapter: AdapterLike): AdapterInfo {
  const info = adapter.info ?? {};
  const vendor = String(info.vendor ?? "");
  const architecture = String(info.architecture ?? "");
  const device = String(info.device ?? "");
  const description = String(info.description ?? "");
  const isFallbackAdapter = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false);
  const limits: Record<string, number> = {};
  for (const key in adapter.limits) {
    const v = (adapter.limits as Record<string, unknown>)[key];
    if (typeof v === "number") limits[key] = v;
  }
  let softwareReason: string | undefined;
  if (isFallbackAdapter) softwareReason = "isFallbackAdapter";
  else if (MESA_VENDOR_IDS.has(vendor.toLowerCase())) softwareReason = `vendor ${vendor} (Mesa software device)`;
  else {
    for (const [field, value] of [["description", description], ["device", device], ["architecture", architecture]]) {
      const m = value.match(SOFTWARE_NAME);
      if (m) {
        softwareReason = `${field} ${m[0]}`;
        break;
      }
    }
  }
  return {
    vendor,
    architecture,
    device,
    description,
    isFallbackAdapter,
    software: softwareReason !== undefined,
    ...(softwareReason ? { softwareReason } : {}),
    limits,
    features: [...adapter.features].sort(),
  };
}
