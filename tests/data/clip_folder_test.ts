/**
 * Folders of clip shards as a run's data: the evaluation manifest
 * (data:eval-set --from), opening a folder with its splits, and the errors
 * for a missing, empty, mixed-size, unmanifested or changed folder.
 */
import assert from "node:assert/strict";
import type { Clip } from "../../lib/data/clip.ts";
import { writeClipShard } from "../../lib/data/write_clip_shard.ts";
import { readClipShard } from "../../lib/data/read_clip_shard.ts";
import { buildFolderEvalManifest, folderManifestPath } from "../../lib/data/folder_eval_manifest.ts";
import { ClipFolderError, openClipFolder } from "../../lib/data/open_clip_folder.ts";
import { main as evalSetCli } from "../../datasets/synthetic/build_eval_set.ts";

/** A clip of constant pixels `level` (distinct content per clip), with a reference mask like an ingested one. */
function fakeClip(id: string, level: number, size = { frames: 5, height: 8, width: 8 }): Clip {
  const { frames: f, height: h, width: w } = size;
  const n = f * h * w;
  return {
    id,
    frames: f,
    height: h,
    width: w,
    video: new Float32Array(n * 3).fill(level / 255),
    reference: new Float32Array(h * w * 3).fill(level / 255),
    poses: { skeleton: new Float32Array(n * 3), hands: new Float32Array(n * 3), body: new Float32Array(n * 3) },
    mask: new Float32Array(n),
    referenceMask: new Float32Array(h * w).fill(1),
    persons: 0,
    keypointsPerPerson: 60,
    keypoints: new Float32Array(0),
    visibility: new Float32Array(0),
    caption: `clip ${id}`,
    categories: [],
  };
}

/** A folder of n one-clip shards a-00 … (as data:ingest writes one per video). */
async function folderOf(n: number, size?: { frames: number; height: number; width: number }): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (let i = 0; i < n; i++) {
    const id = `v-${String(i).padStart(2, "0")}`;
    await writeClipShard(`${dir}/${id}.safetensors`, [fakeClip(id, 10 * i + 5, size)]);
  }
  return dir;
}

/** Runs `f` with console.log/error silenced, returning what it wrote to stderr and its value. */
async function quiet<T>(f: () => Promise<T>): Promise<{ value: T; err: string }> {
  const [log, error] = [console.log, console.error];
  let err = "";
  console.log = () => {};
  console.error = (...a: unknown[]) => (err += a.join(" ") + "\n");
  try {
    return { value: await f(), err };
  } finally {
    [console.log, console.error] = [log, error];
  }
}

Deno.test("buildFolderEvalManifest() draws a seeded split in folder order, the same for the same folder and seed", async () => {
  const dir = await folderOf(6);
  const a = await buildFolderEvalManifest(dir, { clips: 2 });
  const b = await buildFolderEvalManifest(dir, { clips: 2 });
  assert.deepEqual(a, b);
  assert.equal(a.size, 2);
  assert.equal(a.folderClips, 6);
  assert.deepEqual(a.clipSize, { frames: 5, height: 8, width: 8 });
  const ids = a.clips.map((c) => c.id);
  assert.deepEqual(ids, [...ids].sort(), "kept in folder order");
  assert.deepEqual(a.clips.map((c) => c.index), [0, 1]);
  assert.match(a.clips[0].hash, /^[0-9a-f]{64}$/);
  const other = await buildFolderEvalManifest(dir, { clips: 2, seed: 5 });
  assert.notDeepEqual(other.clips.map((c) => c.id), ids, "another seed draws other clips");
  await assert.rejects(buildFolderEvalManifest(dir, { clips: 6 }), /hold out 6 of the 6 clips .*2\.\.5/);
  await assert.rejects(buildFolderEvalManifest(dir, { clips: 1 }), /FID needs two/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("openClipFolder() trains on every clip outside the manifest and returns the evaluation clips in its order", async () => {
  const dir = await folderOf(5);
  const m = await buildFolderEvalManifest(dir, { clips: 2 });
  await Deno.writeTextFile(folderManifestPath(dir), JSON.stringify(m));
  const seen: unknown[] = [];
  const folder = await openClipFolder(dir, { checkSize: (s) => seen.push(s) });
  assert.deepEqual(seen, [{ frames: 5, height: 8, width: 8 }]);
  assert.deepEqual(folder.evalIds, m.clips.map((c) => c.id));
  assert.equal(folder.trainIds.length, 3);
  assert.ok(folder.trainIds.every((id) => !folder.evalIds.includes(id)));
  const [c] = await folder.clips([folder.evalIds[1]]);
  assert.equal(c.id, folder.evalIds[1]);
  assert.equal(c.caption, `clip ${c.id}`);
  assert.deepEqual(Array.from(c.referenceMask!), new Array(64).fill(1), "the reference mask round-trips through the shard");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("openClipFolder() refuses a missing, empty or mixed-size folder, a folder without a manifest and a changed one", async () => {
  await assert.rejects(openClipFolder("/nonexistent/clips"), (e) => e instanceof ClipFolderError && /does not exist; make it with `deno task data:ingest/.test(e.message));
  const empty = await Deno.makeTempDir();
  await assert.rejects(openClipFolder(empty), /Cannot use clip folder .*: it holds no clip shards \(\*\.safetensors\); make them with `deno task data:ingest/);

  const dir = await folderOf(4);
  await assert.rejects(
    openClipFolder(dir),
    /it has no evaluation manifest .*eval_manifest\.json; fix its held-out evaluation clips with `deno task data:eval-set --from .* --clips N`/,
  );
  // The size check comes before the manifest's.
  await assert.rejects(openClipFolder(dir, { checkSize: () => { throw new ClipFolderError("too small"); } }), /too small/);
  const m = await buildFolderEvalManifest(dir, { clips: 2 });
  await Deno.writeTextFile(folderManifestPath(dir), JSON.stringify(m));
  // One evaluation clip's caption edited: its content hash differs.
  const shard = `${dir}/${m.clips[0].shard}`;
  const { clips } = await readClipShard(shard);
  await writeClipShard(shard, [{ ...clips[0], caption: "edited" }]);
  await assert.rejects(openClipFolder(dir), new RegExp(`changed since .* was written: the content of evaluation clip ${m.clips[0].id} differs from its hash`));
  await Deno.remove(shard);
  await assert.rejects(openClipFolder(dir), new RegExp(`evaluation clip ${m.clips[0].id} is gone`));

  await writeClipShard(`${dir}/z.safetensors`, [fakeClip("z", 3, { frames: 9, height: 8, width: 8 })]);
  await assert.rejects(openClipFolder(dir), /its clips differ in size .*5x8x8 .*9x8x8 \(z\.safetensors\)/);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(empty);
});

Deno.test("data:eval-set --from writes the folder's manifest, says when it is unchanged, and exits 1 on an empty folder", async () => {
  const dir = await folderOf(4);
  const first = await quiet(() => evalSetCli(["--from", dir, "--clips", "2"]));
  assert.equal(first.value, 0);
  const written = JSON.parse(await Deno.readTextFile(`${dir}/eval_manifest.json`));
  assert.deepEqual(written, await buildFolderEvalManifest(dir, { clips: 2 }));
  assert.equal((await quiet(() => evalSetCli(["--from", dir, "--clips", "2", "--split", "test"]))).value, 0);
  assert.ok((await Deno.stat(`${dir}/test_manifest.json`)).isFile);
  const empty = await Deno.makeTempDir();
  const bad = await quiet(() => evalSetCli(["--from", empty, "--clips", "2"]));
  assert.equal(bad.value, 1);
  assert.match(bad.err, /holds no clip shards/);
  assert.equal((await quiet(() => evalSetCli(["--clips", "2"]))).value, 2, "--clips without --from");
  assert.equal((await quiet(() => evalSetCli(["--from", dir, "--clips", "x"]))).value, 2);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(empty);
});
