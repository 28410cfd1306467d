import assert from "node:assert/strict";
import { atomicWrite } from "../../lib/io/atomic_write.ts";
import { DiskFullError } from "../../lib/io/disk_full_error.ts";

/** What Deno throws when the disk is full (code ENOSPC, errno 28). */
function noSpace(): Error {
  return Object.assign(new Error("No space left on device (os error 28)"), { code: "ENOSPC" });
}

Deno.test("atomicWrite() replaces a file whole and leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  await atomicWrite(`${dir}/a.json`, "old");
  await atomicWrite(`${dir}/a.json`, new TextEncoder().encode("new"));
  assert.equal(await Deno.readTextFile(`${dir}/a.json`), "new");
  assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), ["a.json"]);
});

Deno.test("atomicWrite() on a full disk keeps the old file, removes its temporary file and names the file and the free space", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/last.safetensors`;
  await atomicWrite(path, "previous checkpoint");
  let written = 0;
  // The disk fills after 4 bytes of the new file.
  const write = (file: Deno.FsFile, bytes: Uint8Array) => {
    if (written >= 4) return Promise.reject(noSpace());
    written += 4;
    return file.write(bytes.subarray(0, 4));
  };
  await assert.rejects(atomicWrite(path, "a much longer new checkpoint", { write }), (e: unknown) => {
    assert.ok(e instanceof DiskFullError);
    assert.equal(e.path, path);
    assert.ok(e.freeBytes !== null && e.freeBytes > 0, `free bytes read with df: ${e.freeBytes}`);
    assert.match(e.message, new RegExp(`^Cannot write ${path}: no space left on the device \\(\\d+(\\.\\d)? [KMGT]?i?B free\\)`));
    assert.match(e.message, /free some space and run the same command again to resume from the last checkpoint$/);
    assert.equal((e.cause as Error).message, "No space left on device (os error 28)");
    return true;
  });
  assert.equal(await Deno.readTextFile(path), "previous checkpoint");
  assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), ["last.safetensors"]);
});

Deno.test("atomicWrite() passes other write errors through unchanged", async () => {
  const dir = await Deno.makeTempDir();
  const boom = new TypeError("not a disk problem");
  await assert.rejects(atomicWrite(`${dir}/x`, "data", { write: () => Promise.reject(boom) }), (e) => e === boom);
  assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
});
