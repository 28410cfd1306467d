/**
 * Makes sure real Jupyter can execute the notebooks: Debian's nbconvert,
 * nbclient and ipykernel (through {@link ensureDebianPackages}), and a `deno`
 * kernelspec that points at this Deno executable (re-installed when it points
 * elsewhere, e.g. after npx unpacked Deno to a new cache folder).
 *
 * References: jupyter_client's KernelSpecManager; `deno jupyter --install`.
 *
 * @module
 */
import { runCommand } from "./_run_command.ts";
import { ensureDebianPackages } from "./ensure_debian_packages.ts";
import { SetupError } from "./setup_error.ts";

/** The packages real-Jupyter notebook execution needs. */
export const JUPYTER_PACKAGES = ["jupyter-nbconvert", "python3-nbclient", "python3-ipykernel"] as const;

/**
 * @returns a short description of what was done ("deno kernelspec ok" or "… installed")
 * @throws {SetupError} when the packages are missing and cannot be installed, or the kernelspec cannot be written
 * @example
 * ```ts ignore
 * import { ensureJupyter } from "./ensure_jupyter.ts";
 * console.log(await ensureJupyter()); // "deno kernelspec ok"
 * ```
 */
export async function ensureJupyter(): Promise<string> {
  await ensureDebianPackages(JUPYTER_PACKAGES, "Executing notebooks");
  // Debian ships no `jupyter kernelspec` command; ask jupyter_client directly.
  const list = await runCommand("/usr/bin/python3", [
    "-c",
    "import json; from jupyter_client.kernelspec import KernelSpecManager as M; print(json.dumps(M().get_all_specs()))",
  ]);
  if (!list.ok) throw new SetupError(`Listing Jupyter kernelspecs failed: ${list.stderr.trim()}`);
  const specs = JSON.parse(list.stdout) as Record<string, { spec: { argv: string[] } }>;
  const deno = specs.deno;
  if (deno && sameFile(deno.spec.argv[0], Deno.execPath())) return "deno kernelspec ok";
  const r = await runCommand(Deno.execPath(), ["jupyter", "--install", "--force"]);
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
