/**
 * Initialises TensorFlow.js and picks its backend.
 *
 * Order when `backend` is "auto": webgpu (TF.js WebGPU, only on a hardware
 * adapter; a software one such as lavapipe only when "webgpu" is asked for) →
 * tensorflow (tfjs-node, when importable) → blas (OpenBLAS through Deno FFI)
 * → wasm → cpu. The `WORKBENCH_BACKEND` environment variable overrides "auto".
 * Trying blas ("auto" or "blas") first makes sure OpenBLAS is there
 * (`ensureOpenBlas`: Debian's libopenblas0-pthread is installed when missing
 * and running as root). Where it cannot be, "blas" stops with the exact
 * `apt-get install` command, and "auto" warns with it and uses wasm. Every
 * backend trains: the kernels wasm lacks (Conv2DBackpropFilter…) run as the
 * cpu backend's kernels on copies.
 *
 * References: TensorFlow.js backend registry (`tf.setBackend`, `tf.ready`).
 *
 * @example
 * ```ts
 * import { initEngine } from "./init_engine.ts";
 * const info = await initEngine({ backend: "cpu" });
 * console.log(info.backend); // "cpu"
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
// tfjs-core's node bundle registers no gradients and its ESM files cannot be
// resolved by Deno (extensionless imports); the union package's node bundle
// registers all of them into the same tfjs-core instance.
import "@tensorflow/tfjs";
import { fixCpuResizeNearestNeighborGrad } from "./_resize_nearest_grad.ts";
import { registerWasmFallbackKernels } from "./_wasm_fallback_kernels.ts";
import { ensureOpenBlas } from "./ensure_open_blas.ts";

// Before any backend copies the cpu kernels (blas does): TF.js 4.22's cpu
// ResizeNearestNeighborGrad is wrong for batch > 1.
fixCpuResizeNearestNeighborGrad();
import type { BlasInfo } from "./blas_backend.ts";
import type { AdapterInfo } from "./webgpu/describe_adapter.ts";

/** Backends the workbench knows, fastest first. */
export const BACKENDS = ["webgpu", "tensorflow", "blas", "wasm", "cpu"] as const;
/** One of {@link BACKENDS}. */
export type BackendName = typeof BACKENDS[number];

/** What was chosen, recorded in every run's config.json. */
export interface EngineInfo {
  backend: BackendName;
  threads: number;
  /** Why faster backends were not used. */
  notes: string[];
  /** The OpenBLAS in use when backend is "blas". */
  blas?: { library: string; version: string; coreType: string; config: string };
  /** The WebGPU adapter (vendor, device, limits…) when backend is "webgpu". */
  adapter?: AdapterInfo;
}

/** Options of {@link initEngine}. */
export interface EngineOptions {
  /** A backend name, or "auto" for the fastest available. */
  backend?: BackendName | "auto";
  /** Threads for backends that use them (blas: OpenBLAS threads; default 1). */
  threads?: number;
  /** Print the choice to stderr. */
  verbose?: boolean;
}

/**
 * @param options backend choice and threads
 * @returns the backend in use and why others were skipped
 */
export async function initEngine(options: EngineOptions = {}): Promise<EngineInfo> {
  const env = Deno.env.get("WORKBENCH_BACKEND");
  const requested = options.backend && options.backend !== "auto" ? options.backend : (env || "auto");
  if (requested !== "auto" && !(BACKENDS as readonly string[]).includes(requested)) {
    throw new RangeError(
      `Unknown backend "${requested}": expected one of auto, ${BACKENDS.join(", ")}`,
    );
  }
  const notes: string[] = [];
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`Cannot initialise the engine as threads must be an integer >= 1: received ${threads}`);
  }
  const order: BackendName[] = requested === "auto" ? [...BACKENDS] : [requested as BackendName];
  webgpuAllowSoftware = requested === "webgpu";
  for (const name of order) {
    const ok = await tryBackend(name, threads, notes);
    if (ok) {
      const info: EngineInfo = { backend: name, threads, notes };
      if (name === "blas" && blasInfo) {
        const { library, version, coreType, config } = blasInfo;
        info.blas = { library, version, coreType, config };
        info.threads = blasInfo.threads;
      }
      if (name === "webgpu" && webgpuAdapter) info.adapter = webgpuAdapter;
      const blasNote = notes.find((n) => n.startsWith("blas:"));
      if (requested === "auto" && blasNote) {
        console.warn(`engine: using ${name} because the blas backend is unavailable (${blasNote.slice(6)})`);
      }
      if (options.verbose) console.error(`engine: backend ${name}${notes.length ? ` (${notes.join("; ")})` : ""}`);
      return info;
    }
    if (requested !== "auto") {
      throw new Error(`Cannot use backend "${name}": ${notes.at(-1) ?? "unavailable"}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could be initialised: ${notes.join("; ")}`);
}

/** Set by tryBackend("blas") when OpenBLAS loaded. */
let blasInfo: BlasInfo | null = null;
/** A software WebGPU adapter is accepted only when "webgpu" was asked for by name. */
let webgpuAllowSoftware = false;
/** Set by tryBackend("webgpu"). */
let webgpuAdapter: AdapterInfo | null = null;

async function tryBackend(name: BackendName, threads: number, notes: string[]): Promise<boolean> {
  try {
    if (name === "webgpu") {
      const { registerWebGpuBackend } = await import("./webgpu/register_web_gpu_backend.ts");
      webgpuAdapter = (await registerWebGpuBackend({ allowSoftware: webgpuAllowSoftware })).adapter;
      return true;
    }
    if (name === "tensorflow") {
      // Optional: its installer downloads libtensorflow, which these machines cannot reach.
      // Only tried when a built binding is already present, never fetched on demand.
      const binding = "node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node";
      if (!(await exists(binding))) {
        notes.push("tensorflow: @tensorflow/tfjs-node not installed (optional)");
        return false;
      }
      const spec = "npm:@tensorflow/tfjs-node@4.22.0";
      await import(spec);
      return await tf.setBackend("tensorflow");
    }
    if (name === "blas") {
      await ensureOpenBlas();
      const { registerBlasBackend } = await import("./_blas_hook.ts");
      blasInfo = await registerBlasBackend(threads, notes);
      if (!blasInfo) return false;
      return await tf.setBackend("blas");
    }
    if (name === "wasm") {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      const dist = new URL("./", import.meta.resolve("@tensorflow/tfjs-backend-wasm")).href;
      wasm.setWasmPaths(dist);
      const ok = await tf.setBackend("wasm");
      await tf.ready();
      if (ok) registerWasmFallbackKernels();
      return ok;
    }
    const ok = await tf.setBackend("cpu");
    await tf.ready();
    return ok;
  } catch (e) {
    notes.push(`${name}: ${(e as Error).message.split("\n")[0]}`);
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
