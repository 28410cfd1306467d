/**
 * The error a write gets when the disk is full (ENOSPC), turned into one
 * that names the file, the free space left on its filesystem and what to do:
 * every writer of the workbench (atomic writes, appended logs) throws it, so a
 * full disk stops a run with the same message wherever it happens.
 *
 * @module
 */

/** A write failed because its filesystem has no space left. */
export class DiskFullError extends Error {
  /**
   * @param path the file that could not be written
   * @param freeBytes bytes free on its filesystem when the write failed (null when unknown)
   * @param options the original error as `cause`
   */
  constructor(readonly path: string, readonly freeBytes: number | null, options?: ErrorOptions) {
    super(
      `Cannot write ${path}: no space left on the device (${freeBytes === null ? "free space unknown" : `${formatBytes(freeBytes)} free`}). ` +
        `Files written before it are intact; free some space and run the same command again to resume from the last checkpoint`,
      options,
    );
    this.name = "DiskFullError";
  }

  /**
   * @param e any error
   * @returns whether it is the operating system's "no space left on device" (ENOSPC)
   * @example
   * ```ts
   * import { DiskFullError } from "./disk_full_error.ts";
   * DiskFullError.isNoSpace(new Error("other")); // false
   * ```
   */
  static isNoSpace(e: unknown): boolean {
    return e instanceof DiskFullError || (e as { code?: string })?.code === "ENOSPC" || /\(os error 28\)/.test(String(e));
  }

  /**
   * @param path the file whose write failed
   * @param cause the ENOSPC error
   * @returns the error to throw, with the free space of the file's filesystem read now
   * @example
   * ```ts
   * import { DiskFullError } from "./disk_full_error.ts";
   * const e = await DiskFullError.from("/tmp/x.bin", new Error("No space left on device (os error 28)"));
   * console.log(e.message.startsWith("Cannot write /tmp/x.bin: no space left"));
   * ```
   */
  static async from(path: string, cause: unknown): Promise<DiskFullError> {
    return new DiskFullError(path, await freeBytes(folderOf(path)), { cause });
  }
}

function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash > 0 ? path.slice(0, slash) : slash === 0 ? "/" : ".";
}

/** Bytes available to this user on the filesystem of `dir` (POSIX `df -Pk`), or null when df cannot tell. */
async function freeBytes(dir: string): Promise<number | null> {
  try {
    const out = await new Deno.Command("df", { args: ["-Pk", dir], stdout: "piped", stderr: "null" }).output();
    if (!out.success) return null;
    // "Filesystem 1024-blocks Used Available Capacity Mounted on", then one row.
    const row = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!.split(/\s+/);
    const kib = Number(row[3]);
    return Number.isFinite(kib) ? kib * 1024 : null;
  } catch {
    return null;
  }
}

function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) (n /= 1024, u++);
  return `${u === 0 ? n : n.toFixed(1)} ${units[u]}`;
}
