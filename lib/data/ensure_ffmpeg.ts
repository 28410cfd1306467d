/**
 * Makes sure ffmpeg and ffprobe (Debian's `ffmpeg` package) are on PATH: when
 * they are missing and the process runs as root, installs them with
 * `apt-get install -y ffmpeg` (after waiting for any running apt-get/dpkg);
 * otherwise fails with a message naming that exact command.
 *
 * @module
 */

/** Options of `ensureFfmpeg`. */
export interface EnsureFfmpegOptions {
  /** Install with apt-get when missing and running as root (default true). */
  install?: boolean;
  /** Longest wait for another apt-get/dpkg to finish, seconds (default 600). */
  aptWaitSeconds?: number;
}

/** The command that installs ffmpeg on Debian. */
export const FFMPEG_INSTALL_COMMAND = "apt-get install -y ffmpeg";

let checked: Promise<string> | null = null;

/**
 * Resolves to ffmpeg's version line once ffmpeg and ffprobe can run.
 *
 * @param options whether to install, how long to wait for apt
 * @returns the first line of `ffmpeg -version`
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
  const root = Deno.uid() === 0;
  if (!(options.install ?? true) || !root) {
    throw new Error(
      `Cannot decode or encode videos as ffmpeg/ffprobe are not installed: run \`${FFMPEG_INSTALL_COMMAND}\` as root${
        root ? "" : ` (this process is not root: sudo ${FFMPEG_INSTALL_COMMAND})`
      }`,
    );
  }
  const deadline = Date.now() + 1000 * (options.aptWaitSeconds ?? 600);
  while (await aptRunning()) {
    if (Date.now() > deadline) {
      throw new Error(`Cannot install ffmpeg: another apt-get/dpkg is still running; run \`${FFMPEG_INSTALL_COMMAND}\` later`);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  console.error(`ffmpeg not found: running \`${FFMPEG_INSTALL_COMMAND}\``);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  let out = await run("apt-get", ["install", "-y", "-qq", "ffmpeg"], env);
  if (!out.success) {
    await run("apt-get", ["update", "-qq"], env);
    out = await run("apt-get", ["install", "-y", "-qq", "ffmpeg"], env);
  }
  const line = await versionLine();
  if (!out.success || !line) {
    throw new Error(
      `Cannot install ffmpeg with \`${FFMPEG_INSTALL_COMMAND}\`: ${new TextDecoder().decode(out.stderr).trim().slice(-400)}`,
    );
  }
  return line;
}

async function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Deno.CommandOutput> {
  return await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).output();
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

async function aptRunning(): Promise<boolean> {
  for (const name of ["apt-get", "dpkg"]) {
    try {
      if ((await run("pgrep", ["-x", name])).success) return true;
    } catch {
      return false;
    }
  }
  return false;
}
