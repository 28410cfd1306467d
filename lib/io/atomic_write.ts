/**
 * Writes a file atomically: the bytes go to a temporary file in the same
 * folder, are flushed to disk, and the temporary file is renamed over the
 * target. A crash or kill at any moment leaves either the old file or the new
 * one, never a half-written file, and a concurrent reader sees one or the
 * other whole. A full disk leaves the old file as it was, removes the
 * temporary file and throws a {@link DiskFullError} naming the file and the
 * space left.
 *
 * @module
 */
import { DiskFullError } from "./disk_full_error.ts";

/** Options of {@link atomicWrite}. */
export interface AtomicWriteOptions {
  /**
   * Writes some of `bytes` to the temporary file and returns how many it wrote
   * (default `file.write`); tests pass one that fails to play a full disk.
   */
  write?: (file: Deno.FsFile, bytes: Uint8Array) => Promise<number>;
}

/**
 * @param path destination file path
 * @param data bytes or a UTF-8 string
 * @param options the write function (for fault injection)
 * @returns resolves when the file is in place
 * @throws DiskFullError when the filesystem is full (the previous file is kept)
 * @example
 * ```ts
 * import { atomicWrite } from "./atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await atomicWrite(`${dir}/a.txt`, "hello");
 * ```
 */
export async function atomicWrite(path: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const write = options.write ?? ((file, b) => file.write(b));
  const slash = path.lastIndexOf("/");
  const dir = slash >= 0 ? path.slice(0, slash) || "/" : ".";
  const base = slash >= 0 ? path.slice(slash + 1) : path;
  // Unique across hosts too: processes on different nodes of a shared filesystem can have the same pid.
  const tmp = `${dir}/.${base}.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  const fail = async (e: unknown) => {
    await Deno.remove(tmp).catch(() => {});
    return DiskFullError.isNoSpace(e) ? await DiskFullError.from(path, e) : e;
  };
  let file: Deno.FsFile;
  try {
    file = await Deno.open(tmp, { write: true, createNew: true });
  } catch (e) {
    throw await fail(e);
  }
  try {
    let off = 0;
    while (off < bytes.length) off += await write(file, bytes.subarray(off));
    await file.sync();
  } catch (e) {
    file.close();
    throw await fail(e);
  }
  file.close();
  try {
    await Deno.rename(tmp, path);
  } catch (e) {
    throw await fail(e);
  }
}
