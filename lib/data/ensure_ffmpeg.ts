/**
 * Makes sure ffmpeg and ffprobe (Debian's `ffmpeg` package) are on PATH: when
 * they are missing and the process runs as root, installs them through
 * lib/io's `ensureDebianPackages` (the one set-up path of every task, which
 * waits for any running apt-get/dpkg); otherwise fails with a `SetupError`
 * naming the exact command.
 *
 * @module
 */
import { ensureDebianPackages } from "../io/ensure_debian_packages.ts";
import { SetupError } from "../io/setup_error.ts";

/** Options of `ensureFfmpeg`. */
export interface EnsureFfmpegOptions {
  /** Install with apt-get when missing and running as root (default true). */
  install?: boolean;
}

/** The command that installs ffmpeg on Debian. */
export const FFMPEG_INSTALL_COMMAND = "apt-get install -y ffmpeg";

let checked: Promise<string> | null = null;

/**
 * Resolves to ffmpeg's version line once ffmpeg and ffprobe can run.
 *
 * @param options whether to install
 * @returns the first line of `ffmpeg -version`
 * @throws {SetupError} naming `apt-get install -y ffmpeg` when they are missing and cannot be installed
 * @example
 * ```ts ignore
 * import { ensureFfmpeg } from "./ensure_ffmpeg.ts";
 * console.log(await ensureFfmpeg()); // "ffmpeg version 5.1.x ..."
 * ```
 */
export function ensureFfmpeg(options: EnsureFfmpegOptions = {}): Promise<string> {
  if (!checked) {
    checked = ensure(options);
    checked.catch(() => (checked = null));
  }
  return checked;
}

async function ensure(options: EnsureFfmpegOptions): Promise<string> {
  const found = await versionLine();
  if (found) return found;
  await ensureDebianPackages(["ffmpeg"], "Decoding and encoding videos (ffmpeg/ffprobe)", options);
  const line = await versionLine();
  if (!line) {
    throw new SetupError(`ffmpeg/ffprobe do not run although the ffmpeg package is installed: check PATH, or run \`${FFMPEG_INSTALL_COMMAND}\``);
  }
  return line;
}

async function run(cmd: string, args: string[]): Promise<Deno.CommandOutput> {
  return await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
}

async function versionLine(): Promise<string | null> {
  try {
    const [a, b] = await Promise.all([run("ffmpeg", ["-version"]), run("ffprobe", ["-version"])]);
    if (!a.success || !b.success) return null;
    return new TextDecoder().decode(a.stdout).split("\n")[0];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}
