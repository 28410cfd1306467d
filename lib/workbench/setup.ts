/**
 * Idempotent machine set-up for the tasks that need system packages: Debian
 * packages (installed when missing and running as root, otherwise a clear
 * message with the exact command) and the Deno Jupyter kernelspec.
 */

/** Thrown when set-up needs a command the task cannot run itself. */
export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SetupError";
  }
}

async function run(cmd: string, args: string[], env?: Record<string, string>) {
  try {
    const out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).output();
    return {
      ok: out.success,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  } catch (e) {
    return { ok: false, stdout: "", stderr: (e as Error).message };
  }
}

/**
 * @param pkg a Debian package name
 * @returns whether dpkg reports it installed
 */
export async function debInstalled(pkg: string): Promise<boolean> {
  const r = await run("dpkg-query", ["-W", "-f=${Status}", pkg]);
  return r.ok && r.stdout.includes("install ok installed");
}

/**
 * Installs the Debian packages that are missing (as root), or throws a
 * {@link SetupError} naming the exact command.
 * @param pkgs package names
 * @param why what needs them (for messages)
 * @returns the packages that were installed now
 */
export async function ensureDebianPackages(pkgs: readonly string[], why: string): Promise<string[]> {
  const missing: string[] = [];
  for (const p of pkgs) if (!(await debInstalled(p))) missing.push(p);
  if (missing.length === 0) return [];
  const cmd = `apt-get update && apt-get install -y ${missing.join(" ")}`;
  const isRoot = (await run("id", ["-u"])).stdout.trim() === "0";
  if (!isRoot) throw new SetupError(`${why} needs Debian packages ${missing.join(", ")}. Run as root:\n  ${cmd}`);
  console.error(`setup: installing ${missing.join(" ")} (${why})…`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  // `apt-get update` only when an install fails for want of package lists.
  const install = async () => {
    // Another apt/dpkg holding the lock is waited for (up to 10 minutes), not treated as failure.
    for (let attempt = 0;; attempt++) {
      const r = await run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], env);
      if (r.ok || !/Could not get lock|dpkg was interrupted|Unable to acquire/.test(r.stderr) || attempt >= 60) return r;
      await new Promise((res) => setTimeout(res, 10_000));
    }
  };
  let r = await install();
  if (!r.ok) {
    await run("apt-get", ["update", "-qq"], env);
    r = await install();
  }
  if (!r.ok) throw new SetupError(`Installing ${missing.join(" ")} failed:\n${r.stderr.slice(-2000)}\nTry:\n  ${cmd}`);
  return missing;
}

/** The packages real-Jupyter notebook execution needs. */
export const JUPYTER_PACKAGES = ["jupyter-nbconvert", "python3-nbclient", "python3-ipykernel"] as const;

/**
 * Makes sure `jupyter nbconvert` exists and the `deno` kernelspec points at
 * this Deno executable (re-installing it when it points elsewhere, e.g. after
 * npx unpacked Deno to a new cache folder).
 * @returns a short description of what was done
 */
export async function ensureJupyter(): Promise<string> {
  await ensureDebianPackages(JUPYTER_PACKAGES, "Executing notebooks");
  // Debian ships no `jupyter kernelspec` command; ask jupyter_client directly.
  const list = await run("/usr/bin/python3", [
    "-c",
    "import json; from jupyter_client.kernelspec import KernelSpecManager as M; print(json.dumps(M().get_all_specs()))",
  ]);
  if (!list.ok) throw new SetupError(`Listing Jupyter kernelspecs failed: ${list.stderr.trim()}`);
  const specs = JSON.parse(list.stdout) as Record<string, { spec: { argv: string[] } }>;
  const deno = specs.deno;
  if (deno && sameFile(deno.spec.argv[0], Deno.execPath())) return "deno kernelspec ok";
  const r = await run(Deno.execPath(), ["jupyter", "--install", "--force"]);
  if (!r.ok) throw new SetupError(`\`deno jupyter --install\` failed: ${r.stderr.trim()}`);
  return "deno kernelspec installed";
}

function sameFile(a: string, b: string): boolean {
  try {
    return Deno.realPathSync(a) === Deno.realPathSync(b);
  } catch {
    return false;
  }
}
