/**
 * Makes sure OpenBLAS is installed for the blas backend: returns the library
 * path when present, installs Debian's `libopenblas0-pthread` when missing and
 * running as root, and otherwise throws with the exact command. Idempotent.
 *
 * References: Debian package libopenblas0-pthread (installs
 * /usr/lib/<arch>/openblas-pthread/libopenblas.so.0).
 *
 * @example
 * ```ts
 * import { ensureOpenBlas } from "./ensure_open_blas.ts";
 * const path = await ensureOpenBlas();
 * console.log(path); // e.g. /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0
 * ```
 */
import { findOpenBlas, OPENBLAS_CANDIDATES, OPENBLAS_INSTALL_COMMAND } from "./_ffi.ts";

/** Options of {@link ensureOpenBlas}. */
export interface EnsureOpenBlasOptions {
  /** Library paths to look for (default: the usual Debian/Homebrew locations). */
  candidates?: readonly string[];
  /** Install when missing and running as root (default true). */
  install?: boolean;
}

/**
 * @param options where to look and whether to install
 * @returns the path of the OpenBLAS shared library
 * @throws Error naming `apt-get install -y libopenblas0-pthread` when it is missing and cannot be installed
 */
export async function ensureOpenBlas(options: EnsureOpenBlasOptions = {}): Promise<string> {
  const candidates = options.candidates ?? OPENBLAS_CANDIDATES;
  const found = findOpenBlas(candidates);
  if (found) return found;
  const missing = `OpenBLAS is not installed (looked in ${candidates.join(", ")})`;
  if (options.install === false) throw new Error(`${missing}: run \`${OPENBLAS_INSTALL_COMMAND}\``);
  if (Deno.build.os !== "linux" || !(await isRoot()) || !(await hasCommand("apt-get"))) {
    throw new Error(`${missing}: run as root \`${OPENBLAS_INSTALL_COMMAND}\``);
  }
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const args = ["install", "-y", "-qq", "libopenblas0-pthread"];
  let r = await run("apt-get", args, env);
  if (!r.ok) {
    // Package lists may be missing on a fresh image.
    await run("apt-get", ["update", "-qq"], env);
    r = await run("apt-get", args, env);
  }
  const after = findOpenBlas(candidates);
  if (!r.ok || !after) {
    throw new Error(`Installing OpenBLAS failed (${r.stderr.trim().slice(-500)}): run \`${OPENBLAS_INSTALL_COMMAND}\``);
  }
  return after;
}

async function run(cmd: string, args: string[], env?: Record<string, string>) {
  try {
    const o = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).output();
    return { ok: o.success, stdout: new TextDecoder().decode(o.stdout), stderr: new TextDecoder().decode(o.stderr) };
  } catch (e) {
    return { ok: false, stdout: "", stderr: (e as Error).message };
  }
}

async function isRoot(): Promise<boolean> {
  return (await run("id", ["-u"])).stdout.trim() === "0";
}

async function hasCommand(name: string): Promise<boolean> {
  return (await run("sh", ["-c", `command -v ${name}`])).ok;
}
