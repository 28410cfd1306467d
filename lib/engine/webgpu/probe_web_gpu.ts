/**
 * Asks the runtime for a WebGPU adapter and says why there is none: no
 * `navigator.gpu` (a Deno that needs `--unstable-webgpu`), no adapter (no
 * Vulkan/Metal/D3D12 device or driver), or an error while asking.
 *
 * When `XDG_RUNTIME_DIR` is unset, it is pointed at a private (0700) folder
 * `<tmp>/workbench-xdg-<uid>` first: Mesa's Vulkan loader otherwise prints
 * "XDG_RUNTIME_DIR is invalid or not set" on every run.
 *
 * References: W3C WebGPU §4 `navigator.gpu.requestAdapter()`; Deno's WebGPU
 * (wgpu; Vulkan on Linux).
 *
 * @example
 * ```ts ignore
 * import { probeWebGpu } from "./probe_web_gpu.ts";
 * const probe = await probeWebGpu();
 * console.log(probe.ok ? probe.info.description : probe.reason);
 * ```
 */
import { type AdapterInfo, describeAdapter } from "./describe_adapter.ts";

/** An adapter and its description, or why there is none. */
export type WebGpuProbe =
  | { ok: true; adapter: GPUAdapter; info: AdapterInfo }
  | { ok: false; reason: string };

/** Options of {@link probeWebGpu}. */
export interface ProbeWebGpuOptions {
  /** The GPU entry point (default `navigator.gpu`; tests pass `undefined` or a fake). */
  gpu?: Pick<GPU, "requestAdapter"> | undefined;
  /** Default "high-performance" (a discrete GPU over an integrated one). */
  powerPreference?: GPUPowerPreference;
}

/** The Debian package that provides a (software) Vulkan device, and how to get a real one. */
export const NO_ADAPTER_HINT =
  "install the GPU's Vulkan driver (NVIDIA: the proprietary driver's Vulkan ICD; AMD/Intel: mesa-vulkan-drivers), " +
  "or `apt-get install -y mesa-vulkan-drivers` for the software lavapipe device";

/**
 * @param options the GPU entry point and power preference
 * @returns the adapter with its description, or the reason there is none
 */
export async function probeWebGpu(options: ProbeWebGpuOptions = {}): Promise<WebGpuProbe> {
  const gpu = Object.hasOwn(options, "gpu")
    ? options.gpu
    : (navigator as unknown as { gpu?: Pick<GPU, "requestAdapter"> }).gpu;
  if (gpu === undefined || gpu === null) {
    return {
      ok: false,
      reason: "navigator.gpu is undefined: this Deno exposes no WebGPU API (run it with --unstable-webgpu)",
    };
  }
  quietVulkanLoader();
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? "high-performance" });
  } catch (e) {
    return { ok: false, reason: `navigator.gpu.requestAdapter() failed: ${(e as Error).message.split("\n")[0]}` };
  }
  if (!adapter) return { ok: false, reason: `no WebGPU adapter: ${NO_ADAPTER_HINT}` };
  return { ok: true, adapter, info: describeAdapter(adapter) };
}

function quietVulkanLoader(): void {
  try {
    if (Deno.env.get("XDG_RUNTIME_DIR")) return;
    Deno.env.set("XDG_RUNTIME_DIR", privateRuntimeDir());
  } catch {
    // No env/write permission: the loader only prints a warning.
  }
}

/** `<tmp>/workbench-xdg-<uid>` (0700, kept like a runtime dir), or a fresh temporary one when that is unusable. */
function privateRuntimeDir(): string {
  const uid = Deno.uid();
  const dir = `${Deno.env.get("TMPDIR") ?? "/tmp"}/workbench-xdg-${uid ?? "user"}`;
  try {
    Deno.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
  }
  const st = Deno.lstatSync(dir);
  if (st.isDirectory && st.uid === uid && ((st.mode ?? 0) & 0o077) === 0) return dir;
  const fresh = Deno.makeTempDirSync({ prefix: "workbench-xdg-" }); // someone else's or too open: a private one
  globalThis.addEventListener("unload", () => Deno.removeSync(fresh, { recursive: true }));
  return fresh;
}
