/**
 * Makes sure OpenBLAS is installed for the blas backend: returns the library
 * path when present, installs Debian's `libopenblas0-pthread` when missing and
 * running as root (through lib/io's {@link ensureDebianPackages}, the one
 * set-up path of every task), and otherwise throws a {@link SetupError} with
 * the exact command. Idempotent. `initEngine` calls it whenever it tries the
 * blas backend ("auto" or "blas").
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
import { ensureDebianPackages } from "../io/ensure_debian_packages.ts";
import { SetupError } from "../io/setup_error.ts";
import { findOpenBlas, OPENBLAS_CANDIDATES, OPENBLAS_INSTALL_COMMAND } from "./_ffi.ts";

/** The Debian package that provides {@link OPENBLAS_CANDIDATES}[0]. */
const PACKAGE = "libopenblas0-pthread";

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
 * @throws {SetupError} naming `apt-get install -y libopenblas0-pthread` when it is missing and cannot be installed
 */
export async function ensureOpenBlas(options: EnsureOpenBlasOptions = {}): Promise<string> {
  const candidates = options.candidates ?? OPENBLAS_CANDIDATES;
  const found = findOpenBlas(candidates);
  if (found) return found;
  const fromEnv = envPath();
  if (fromEnv) {
    throw new SetupError(
      `OpenBLAS is not at WORKBENCH_OPENBLAS=${fromEnv}: point it at a libopenblas, or unset it and run \`${OPENBLAS_INSTALL_COMMAND}\``,
    );
  }
  const missing = `OpenBLAS is not installed (looked in ${candidates.join(", ")})`;
  if (options.install === false || Deno.build.os !== "linux") {
    throw new SetupError(`${missing}: run \`${OPENBLAS_INSTALL_COMMAND}\``);
  }
  await ensureDebianPackages([PACKAGE], "The blas engine (OpenBLAS)");
  const after = findOpenBlas(candidates);
  if (!after) {
    throw new SetupError(`${missing}, although ${PACKAGE} is installed: run \`${OPENBLAS_INSTALL_COMMAND}\` on a Debian machine`);
  }
  return after;
}

function envPath(): string | undefined {
  try {
    return Deno.env.get("WORKBENCH_OPENBLAS") || undefined;
  } catch {
    return undefined; // no --allow-env
  }
}
