/**
 * The one place the workbench installs what a task needs from Debian: the
 * packages that are missing are installed with apt-get when the process runs
 * as root (waiting for another apt/dpkg to finish, and fetching the package
 * lists only when an install fails for want of them); otherwise the task
 * stops, before any work, with a {@link SetupError} naming the exact command.
 * Idempotent: packages already installed cost one `dpkg-query` each.
 *
 * References: apt-get(8), dpkg-query(1).
 *
 * @module
 */
import { runCommand } from "./_run_command.ts";
import { SetupError } from "./setup_error.ts";

/** Options of {@link ensureDebianPackages}. */
export interface EnsureDebianPackagesOptions {
  /** Install missing packages when running as root (default true); false only reports them. */
  install?: boolean;
}

/**
 * @param pkg a Debian package name
 * @returns whether dpkg reports it installed (false where there is no dpkg)
 * @example
 * ```ts
 * import { debInstalled } from "./ensure_debian_packages.ts";
 * console.log(await debInstalled("no-such-package-xyz")); // false
 * ```
 */
export async function debInstalled(pkg: string): Promise<boolean> {
  const r = await runCommand("dpkg-query", ["-W", "-f=${Status}", pkg]);
  return r.ok && r.stdout.includes("install ok installed");
}

/**
 * Installs the Debian packages that are missing (as root), or throws a
 * {@link SetupError} whose one-line message names the exact command.
 *
 * @param pkgs package names
 * @param why what needs them, for messages (e.g. "The blas engine")
 * @param options whether installing is allowed
 * @returns the packages that were installed now (empty when all were there)
 * @throws {SetupError} when a package is missing and cannot be installed here
 * @example
 * ```ts ignore
 * import { ensureDebianPackages } from "./ensure_debian_packages.ts";
 * await ensureDebianPackages(["ffmpeg"], "Reading videos"); // [] once installed
 * ```
 */
export async function ensureDebianPackages(
  pkgs: readonly string[],
  why: string,
  options: EnsureDebianPackagesOptions = {},
): Promise<string[]> {
  const missing: string[] = [];
  for (const p of pkgs) if (!(await debInstalled(p))) missing.push(p);
  if (missing.length === 0) return [];
  const cmd = installCommand(missing);
  const needs = `${why} needs the Debian package${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`;
  if (options.install === false) throw new SetupError(`${needs}: run as root \`${cmd}\``);
  if (Deno.build.os !== "linux" || !(await runCommand("sh", ["-c", "command -v apt-get"])).ok) {
    throw new SetupError(`${needs} and this machine has no apt-get: install ${missing.join(", ")} (on Debian: \`${cmd}\`)`);
  }
  if (Deno.uid() !== 0) throw new SetupError(`${needs}: run as root \`${cmd}\``);
  console.error(`setup: installing ${missing.join(" ")} (${why})…`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const install = async () => {
    // Another apt/dpkg holding the lock is waited for (up to 10 minutes), not treated as failure.
    for (let attempt = 0;; attempt++) {
      const r = await runCommand("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], env);
      if (r.ok || !/Could not get lock|dpkg was interrupted|Unable to acquire/.test(r.stderr) || attempt >= 60) return r;
      await new Promise((res) => setTimeout(res, 10_000));
    }
  };
  let r = await install();
  if (!r.ok) {
    await runCommand("apt-get", ["update", "-qq"], env);
    r = await install();
  }
  if (!r.ok) {
    const tail = r.stderr.trim().split("\n").slice(-3).join(" | ");
    throw new SetupError(`${needs} and installing it failed (${tail}): try \`${cmd}\``);
  }
  return missing;
}

/** The command a user runs to install `pkgs` on Debian. */
function installCommand(pkgs: readonly string[]): string {
  return `apt-get update && apt-get install -y ${pkgs.join(" ")}`;
}
