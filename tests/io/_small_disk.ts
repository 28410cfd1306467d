/**
 * A real full disk for the tests: a small tmpfs mounted on a temporary folder
 * (needs root with CAP_SYS_ADMIN, as in the project's containers), filled to
 * the last page on demand and freed again. Where mounting is not allowed the
 * tests that need it are skipped, the reason recorded for the importing test
 * file (tests/_skip.ts).
 */
import { skipWhen } from "../_skip.ts";

/** Why a tmpfs cannot be mounted here, or null when it can. */
export const smallDiskUnavailable: string | null = await (async () => {
  const dir = await Deno.makeTempDir({ prefix: "wb-tmpfs-probe-" });
  try {
    const out = await new Deno.Command("mount", { args: ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], stderr: "piped" }).output();
    if (!out.success) return `mount -t tmpfs failed: ${new TextDecoder().decode(out.stderr).trim()}`;
    await new Deno.Command("umount", { args: [dir] }).output();
    return null;
  } catch (e) {
    return `mount is not available: ${(e as Error).message}`;
  } finally {
    await Deno.remove(dir).catch(() => {});
  }
})();
skipWhen(smallDiskUnavailable);

/** A mounted small disk. */
export interface SmallDisk {
  dir: string;
  /** Writes a filler file until the disk is full (synchronous, so it can run inside a callback). */
  fill(): void;
  /** Removes the filler: the disk has room again. */
  free(): void;
}

/**
 * @param sizeKiB the tmpfs size
 * @param fn runs with the mounted disk; it is unmounted afterwards
 */
export async function withSmallDisk(sizeKiB: number, fn: (disk: SmallDisk) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "wb-tmpfs-" });
  const mount = await new Deno.Command("mount", { args: ["-t", "tmpfs", "-o", `size=${sizeKiB}k`, "tmpfs", dir] }).output();
  if (!mount.success) throw new Error(`Cannot mount a ${sizeKiB} KiB tmpfs on ${dir}`);
  const filler = `${dir}/.filler`;
  const disk: SmallDisk = {
    dir,
    fill() {
      const page = new Uint8Array(4096);
      const f = Deno.openSync(filler, { write: true, create: true, append: true });
      try {
        for (;;) f.writeSync(page);
      } catch (e) {
        if ((e as { code?: string }).code !== "ENOSPC") throw e;
      } finally {
        f.close();
      }
    },
    free() {
      Deno.removeSync(filler);
    },
  };
  try {
    await fn(disk);
  } finally {
    await new Deno.Command("umount", { args: [dir] }).output();
    await Deno.remove(dir, { recursive: true });
  }
}
