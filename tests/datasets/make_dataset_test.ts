import assert from "node:assert/strict";
import { makeDataset } from "../../datasets/make_dataset.ts";
import { writeClipShard } from "../../lib/data/write_clip_shard.ts";
import { syntheticClip } from "../../datasets/synthetic/synthetic_sets.ts";

Deno.test("makeDataset() synthetic: clip i is the set's clip i, with its id and size", async () => {
  const ds = await makeDataset({
    kind: "synthetic",
    set: "realisdance-val-syn",
    frames: 5,
    height: 16,
    width: 16,
    size: 100,
  });
  assert.equal(ds.size, 100);
  const c = await ds.get(42);
  assert.equal(c.id, "realisdance-val-syn/0042");
  assert.deepEqual(c.video, syntheticClip("realisdance-val-syn", 42, { frames: 5, height: 16, width: 16 }).video);
  assert.equal("meta" in c, false);
  assert.throws(() => ds.get(100), /index must be an integer in \[0, 100\)/);
});

Deno.test("makeDataset() synthetic with a cache returns the same clips as rendering on the fly", async () => {
  const root = await Deno.makeTempDir();
  const cfg = { kind: "synthetic", set: "pretrain", frames: 5, height: 16, width: 16, size: 20 } as const;
  const plain = await makeDataset(cfg);
  const cached = await makeDataset({ ...cfg, cache: root });
  for (const i of [0, 15, 16, 19]) {
    const a = await plain.get(i), b = await cached.get(i);
    assert.deepEqual(b, a);
  }
  const files = [];
  for await (const e of Deno.readDir(`${root}/pretrain`)) {
    for await (const f of Deno.readDir(`${root}/pretrain/${e.name}`)) files.push(f.name);
  }
  assert.deepEqual(files.sort(), ["config.json", "shard-0000.safetensors", "shard-0001.safetensors"]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("makeDataset() folder reads shards in name order", async () => {
  const dir = await Deno.makeTempDir();
  const size = { frames: 1, height: 8, width: 8 };
  const clip = (i: number) => {
    const { meta: _m, ...c } = syntheticClip("finetune", i, size);
    return c;
  };
  await writeClipShard(`${dir}/b.safetensors`, [clip(2)]);
  await writeClipShard(`${dir}/a.safetensors`, [clip(0), clip(1)]);
  const ds = await makeDataset({ kind: "folder", path: dir });
  assert.equal(ds.size, 3);
  assert.deepEqual([ds.frames, ds.height, ds.width], [1, 8, 8]);
  assert.deepEqual((await Promise.all([0, 1, 2].map((i) => ds.get(i)))).map((c) => c.id), [
    "finetune/0000",
    "finetune/0001",
    "finetune/0002",
  ]);
  assert.deepEqual((await ds.get(2)).video, clip(2).video);
  await writeClipShard(`${dir}/c.safetensors`, [syntheticClip("finetune", 3, { ...size, height: 16 })]);
  await assert.rejects(() => makeDataset({ kind: "folder", path: dir }), /mixed sizes/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("makeDataset() rejects bad configs with the received value", async () => {
  const base = { kind: "synthetic", set: "finetune", frames: 5, height: 16, width: 16, size: 4 } as const;
  await assert.rejects(
    () => makeDataset({ ...base, frames: 6 }),
    /frames must be 4k\+1 \(1, 5, 9, 17, \.\.\.\): received 6/,
  );
  await assert.rejects(
    () => makeDataset({ ...base, set: "realisdance-val-syn", size: 101 }),
    /size must be an integer in \[1, 100\]: received 101/,
  );
  // deno-lint-ignore no-explicit-any
  await assert.rejects(() => makeDataset({ ...base, set: "train" as any }), /set "train"/);
  // deno-lint-ignore no-explicit-any
  await assert.rejects(() => makeDataset({ kind: "video" } as any), /kind "video"/);
  const empty = await Deno.makeTempDir();
  await assert.rejects(() => makeDataset({ kind: "folder", path: empty }), /no \.safetensors shards/);
});
