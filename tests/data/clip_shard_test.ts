import assert from "node:assert/strict";
import { decodeClipShard, readClipShard, readClipShardIndex } from "../../lib/data/read_clip_shard.ts";
import { CLIP_SHARD_FORMAT, encodeClipShard, writeClipShard } from "../../lib/data/write_clip_shard.ts";
import { clipContentHash } from "../../lib/data/clip_content_hash.ts";
import type { Clip } from "../../lib/data/clip.ts";
import { decodeSafetensors } from "../../lib/io/safetensors.ts";
import { syntheticClip } from "../../datasets/synthetic/synthetic_sets.ts";

const size = { frames: 5, height: 16, width: 24 };
// Eval clips 4 (multi-character) and 0 (one person): shards pad keypoints to the larger person count.
const clips: Clip[] = [4, 0].map((i) => {
  const { meta: _m, ...c } = syntheticClip("realisdance-val-syn", i, size);
  return c;
});

Deno.test("clip shards round-trip synthetic clips exactly, with mixed person counts", async () => {
  assert.notEqual(clips[0].persons, clips[1].persons);
  const path = `${await Deno.makeTempDir()}/shard-0000.safetensors`;
  await writeClipShard(path, clips, { source: "test" });
  const { clips: back, metadata } = await readClipShard(path);
  assert.equal(metadata.format, CLIP_SHARD_FORMAT);
  assert.equal(metadata.source, "test");
  assert.deepEqual(back, clips);
  assert.deepEqual(await readClipShardIndex(path), { count: 2, ids: clips.map((c) => c.id), ...size });
});

Deno.test("clip shards are plain safetensors: U8 images and F32 keypoints any reader can open", () => {
  const { tensors } = decodeSafetensors(encodeClipShard(clips));
  assert.equal(tensors.video.dtype, "U8");
  assert.deepEqual(tensors.video.shape, [2, 5, 16, 24, 3]);
  assert.deepEqual(tensors.keypoints.shape, [2, 5, Math.max(clips[0].persons, clips[1].persons), 60, 2]);
  assert.equal(tensors.keypoints.dtype, "F32");
  assert.equal(tensors.video.data[7], Math.round(clips[0].video[7] * 255));
});

Deno.test("encodeClipShard() rejects empty lists, mixed sizes and reserved metadata keys", () => {
  assert.throws(() => encodeClipShard([]), /received 0 clips/);
  const small = { ...syntheticClip("finetune", 0, { frames: 1, height: 16, width: 24 }), meta: undefined };
  assert.throws(() => encodeClipShard([clips[0], small]), /mixed sizes/);
  assert.throws(() => encodeClipShard(clips, { format: "x" }), /metadata key "format" is reserved/);
  assert.throws(() => decodeClipShard(new Uint8Array(4)), Error);
});

Deno.test("clipContentHash() ignores the id and changes with one pixel level", async () => {
  const h = await clipContentHash(clips[1]);
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.equal(await clipContentHash({ ...clips[1], id: "other" }), h);
  const video = clips[1].video.slice();
  video[100] = video[100] >= 0.5 ? video[100] - 1 / 255 : video[100] + 1 / 255;
  assert.notEqual(await clipContentHash({ ...clips[1], video }), h);
  assert.notEqual(await clipContentHash({ ...clips[1], caption: clips[1].caption + " " }), h);
});
