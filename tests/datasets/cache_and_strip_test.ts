import assert from "node:assert/strict";
import { clipStrip, STRIP_COLUMNS, writeClipStrip } from "../../lib/synthetic/clip_strip.ts";
import { syntheticShard, syntheticShardDir } from "../../datasets/synthetic/synthetic_shard.ts";
import { syntheticClip } from "../../datasets/synthetic/synthetic_sets.ts";
import { decodePng } from "../../lib/io/png.ts";

/** The dataset tests' output folder (git-ignored cache). */
const OUT = new URL("../../datasets/cache/test-output/", import.meta.url).pathname;

Deno.test("syntheticShard() generates a shard once, then reads back identical clips", async () => {
  const root = await Deno.makeTempDir();
  const size = { frames: 5, height: 16, width: 16 };
  const first = await syntheticShard("realisdance-val-syn", 6, { size, root });
  assert.equal(first.length, 4); // clips 96..99 with 16 per shard
  const dir = syntheticShardDir("realisdance-val-syn", { size, root });
  const stat = await Deno.stat(`${dir}/shard-0006.safetensors`);
  const again = await syntheticShard("realisdance-val-syn", 6, { size, root });
  assert.equal((await Deno.stat(`${dir}/shard-0006.safetensors`)).mtime?.getTime(), stat.mtime?.getTime());
  for (let i = 0; i < 4; i++) {
    const fresh = syntheticClip("realisdance-val-syn", 96 + i, size);
    for (const c of [first[i], again[i]]) {
      assert.equal(c.id, fresh.id);
      assert.deepEqual(c.video, fresh.video);
      assert.deepEqual(c.reference, fresh.reference);
      assert.deepEqual(c.poses.body, fresh.poses.body);
      assert.deepEqual(c.mask, fresh.mask);
      assert.deepEqual(c.keypoints, fresh.keypoints);
      assert.equal(c.caption, fresh.caption);
    }
  }
  const config = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
  assert.deepEqual({ set: config.set, frames: config.frames, shardSize: config.shardSize }, {
    set: "realisdance-val-syn",
    frames: 5,
    shardSize: 16,
  });
  assert.notEqual(syntheticShardDir("realisdance-val-syn", { size: { ...size, frames: 9 }, root }), dir);
  await assert.rejects(
    () => syntheticShard("realisdance-val-syn", 7, { size, root }),
    /Cannot load shard 7 of realisdance-val-syn/,
  );
  await Deno.remove(root, { recursive: true });
});

Deno.test("clipStrip() lays out reference, frame, three conditions and mask; writeClipStrip() writes it as PNG", async () => {
  const clips = [0, 3].map((i) => syntheticClip("realisdance-val-syn", i, { frames: 9, height: 32, width: 32 }));
  const img = clipStrip(clips, { frames: [0, 4, -1] });
  assert.equal(img.width, STRIP_COLUMNS.length * 34 + 2);
  assert.equal(img.height, 6 * 34 + 2);
  // Row 1 (clip 0, frame 4), column "video", pixel (5, 7) equals the clip's frame.
  const x = 2 + 1 * 34 + 7, y = 2 + 1 * 34 + 5;
  const o = (y * img.width + x) * 3;
  const src = ((4 * 32 + 5) * 32 + 7) * 3;
  assert.deepEqual([...img.data.subarray(o, o + 3)], [0, 1, 2].map((k) => Math.round(clips[0].video[src + k] * 255)));
  await Deno.mkdir(OUT, { recursive: true });
  const written = await writeClipStrip(`${OUT}/eval-strip.png`, clips, { frames: [0, 4, -1] });
  const back = await decodePng(await Deno.readFile(`${OUT}/eval-strip.png`));
  assert.deepEqual(back.data, written.data);
  assert.throws(() => clipStrip(clips, { frames: [9] }), /Cannot show frame 9 of clip realisdance-val-syn\/0000/);
});
