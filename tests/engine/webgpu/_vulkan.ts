/**
 * Finds a WebGPU adapter for the webgpu tests, installing Debian's
 * mesa-vulkan-drivers (lavapipe, a software Vulkan device) when none is found
 * and it is missing — as root, after waiting for any running apt/dpkg — or
 * says why the tests are skipped, with the exact command.
 */
import type { AdapterInfo } from "../../../lib/engine/webgpu/mod.ts";
import { debInstalled, ensureDebianPackages, SetupError } from "../../../lib/io/mod.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;
const PACKAGE = "mesa-vulkan-drivers";

/** A private runtime dir for the subprocesses (Mesa's loader warns without one). */
let runtimeDir: string | null = null;

/** The environment of a WebGPU subprocess: this one's plus XDG_RUNTIME_DIR. */
export function webgpuEnv(): Record<string, string> {
  if (runtimeDir === null) {
    runtimeDir = Deno.env.get("XDG_RUNTIME_DIR") || null;
    if (runtimeDir === null) {
      const dir = Deno.makeTempDirSync({ prefix: "webgpu-xdg-" }); // created 0700
      globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
      runtimeDir = dir;
    }
  }
  return { ...Deno.env.toObject(), XDG_RUNTIME_DIR: runtimeDir };
}

/**
 * Runs `deno run --unstable-webgpu -A <script> ...args` from the repository root.
 * @returns exit status, stdout and stderr
 */
export async function runWebGpuScript(script: string, args: string[] = []) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--unstable-webgpu", "-A", "--config", `${ROOT}deno.json`, script, ...args],
    cwd: ROOT,
    env: webgpuEnv(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { success: out.success, code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

async function probe(): Promise<{ ok: true; adapter: AdapterInfo } | { ok: false; reason: string }> {
  const r = await runWebGpuScript("lib/engine/webgpu/adapter_info_cli.ts", ["--json"]);
  const line = r.stdout.trim().split("\n").at(-1) ?? "";
  try {
    const j = JSON.parse(line);
    return j.ok ? { ok: true, adapter: j.adapter } : { ok: false, reason: j.reason };
  } catch {
    return { ok: false, reason: `adapter_info_cli.ts failed (exit ${r.code}): ${r.stderr.trim().slice(-500)}` };
  }
}

async function busy(): Promise<boolean> {
  for (const name of ["apt-get", "apt", "dpkg", "unattended-upgr"]) {
    // (Deno.Command#output throws synchronously when pgrep is missing: the async wrapper makes that null too.)
    const r = await (async () => await new Deno.Command("pgrep", { args: ["-x", name], stdout: "null", stderr: "null" }).output())()
      .catch(() => null);
    if (r?.success) return true;
  }
  return false;
}

/**
 * @returns the adapter the checks will run on, or why there is none
 */
export async function vulkanAdapter(): Promise<{ ok: true; adapter: AdapterInfo } | { ok: false; reason: string }> {
  const first = await probe();
  if (first.ok || (await debInstalled(PACKAGE))) return first;
  for (let waited = 0; (await busy()) && waited < 600; waited += 5) {
    await new Promise((r) => setTimeout(r, 5000));
  }
  try {
    await ensureDebianPackages([PACKAGE], "The webgpu tests (lavapipe, a software Vulkan device)");
  } catch (e) {
    if (e instanceof SetupError) return { ok: false, reason: `${first.reason}; ${e.message}` };
    throw e;
  }
  return await probe();
}
