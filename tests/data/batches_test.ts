import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { type Batch, batches, type DataPosition, epochPermutation } from "../../lib/data/batches.ts";
import { collateClips, disposeBatch } from "../../lib/data/collate_clips.ts";
import { type Dataset, makeDataset } from "../../datasets/make_dataset.ts";
import type { Clip } from "../../lib/data/clip.ts";

await initEngine({ backend: "cpu" });

const tiny = { kind: "synthetic", set: "finetune", frames: 1, height: 8, width: 8, size: 10 } as const;

/** Dataset indices visited, batch by batch, and the positions reported. */
async function visit(ds: Dataset, opts: Parameters<typeof batches>[1], limit = Infinity) {
  const seen: number[][] = [];
  const positions: DataPosition[] = [];
  for await (const b of batches(ds, opts)) {
    seen.push(b.indices);
    positions.push(b.position);
    disposeBatch(b);
    if (seen.length >= limit) break;
  }
  return { seen, positions };
}

Deno.test("collateClips() maps [F, H, W, 3] in [0, 1] to [B, 3, F, H, W] in [−1, 1]", () => {
  const F = 2, H = 2, W = 3, n = F * H * W;
  const video = Float32Array.from({ length: n * 3 }, (_, i) => (i % 256) / 255);
  const mk = (id: string): Clip => ({
    id,
    frames: F,
    height: H,
    width: W,
    video,
    reference: video.subarray(0, H * W * 3),
    poses: { skeleton: video, hands: new Float32Array(n * 3), body: new Float32Array(n * 3).fill(1) },
    mask: Float32Array.from({ length: n }, (_, i) => i % 2),
    persons: 0,
    keypointsPerPerson: 60,
    keypoints: new Float32Array(0),
    visibility: new Float32Array(0),
    caption: id,
    categories: [],
  });
  const b = collateClips([mk("a"), mk("b")]);
  assert.deepEqual(b.video.shape, [2, 3, F, H, W]);
  assert.deepEqual(b.reference.shape, [2, 3, 1, H, W]);
  assert.deepEqual(b.mask.shape, [2, 1, F, H, W]);
  const v = b.video.arraySync() as number[][][][][];
  // Element (b=1, c=2, f=1, y=1, x=2) comes from video[((1·H + 1)·W + 2)·3 + 2] = index 35.
  assert.ok(Math.abs(v[1][2][1][1][2] - (2 * (35 / 255) - 1)) < 1e-6);
  const [handsMin, bodyMax, maskSum] = tf.tidy(() => [
    b.poses.hands.min().arraySync() as number,
    b.poses.body.max().arraySync() as number,
    b.mask.sum().arraySync() as number,
  ]);
  assert.equal(handsMin, -1);
  assert.equal(bodyMax, 1);
  assert.deepEqual(b.captions, ["a", "b"]);
  assert.equal(maskSum, n);
  disposeBatch(b);
  assert.throws(() => collateClips([]), /received 0 clips/);
});

Deno.test("batches() yields channel-first tensors in [−1, 1] with captions and no leaked tensors", async () => {
  const ds = await makeDataset({ ...tiny, frames: 5, height: 16, width: 16, size: 4 });
  const before = tf.memory().numTensors;
  let count = 0;
  for await (const b of batches(ds, { batchSize: 2, prng: new Prng(1), epochs: 1 })) {
    assert.deepEqual(b.video.shape, [2, 3, 5, 16, 16]);
    for (const t of [b.poses.skeleton, b.poses.hands, b.poses.body]) assert.deepEqual(t.shape, [2, 3, 5, 16, 16]);
    const [lo, hi] = tf.tidy(() => [b.video.min().arraySync() as number, b.video.max().arraySync() as number]);
    assert.ok(lo >= -1 && hi <= 1 && hi > lo);
    assert.equal(b.captions.length, 2);
    assert.ok(b.captions.every((c) => c.includes("realistic") || c.includes("cartoon") || c.includes("silhouetted")));
    const clip = await ds.get(b.indices[1]);
    const px = (b.video.arraySync() as number[][][][][])[1][0][3][7][9];
    assert.ok(Math.abs(px - (2 * clip.video[((3 * 16 + 7) * 16 + 9) * 3] - 1)) < 1e-6);
    disposeBatch(b);
    count++;
  }
  assert.equal(count, 2);
  assert.equal(tf.memory().numTensors, before, "every batch tensor was disposed");
});

Deno.test("batches() is deterministic and visits a stored permutation per epoch", async () => {
  const ds = await makeDataset(tiny);
  const a = await visit(ds, { batchSize: 3, prng: new Prng(7), epochs: 2 });
  const b = await visit(ds, { batchSize: 3, prng: new Prng(7), epochs: 2 });
  assert.deepEqual(a, b);
  // 10 clips, batches of 3, last incomplete batch dropped: 3 batches per epoch.
  assert.equal(a.seen.length, 6);
  const seed = new Prng(7).nextUint32();
  assert.deepEqual(a.seen.slice(0, 3).flat(), epochPermutation(10, { seed, epoch: 0 }).slice(0, 9));
  assert.deepEqual(a.seen.slice(3).flat(), epochPermutation(10, { seed, epoch: 1 }).slice(0, 9));
  // Stored order (regression: Prng(7), xoshiro128** + Fisher–Yates).
  assert.deepEqual(a.seen, [[3, 2, 9], [7, 8, 1], [5, 4, 6], [3, 7, 2], [9, 6, 0], [8, 1, 5]]);
  assert.deepEqual(a.positions, [
    { epoch: 0, index: 3 },
    { epoch: 0, index: 6 },
    { epoch: 1, index: 0 },
    { epoch: 1, index: 3 },
    { epoch: 1, index: 6 },
    { epoch: 2, index: 0 },
  ]);
  const other = await visit(ds, { batchSize: 3, prng: new Prng(8), epochs: 1 });
  assert.notDeepEqual(other.seen, a.seen.slice(0, 3));
});

Deno.test("batches() resumed from a saved position yields exactly the remaining batches", async () => {
  const ds = await makeDataset(tiny);
  const full = await visit(ds, { batchSize: 4, prng: new Prng(99), epochs: 3 });
  for (const cut of [1, 2, 3, 4]) {
    const saved = JSON.parse(JSON.stringify(full.positions[cut - 1])) as DataPosition;
    const rest = await visit(ds, { batchSize: 4, prng: new Prng(99), epochs: 3, position: saved });
    assert.deepEqual(rest.seen, full.seen.slice(cut), `resume after batch ${cut}`);
  }
});

Deno.test("batches() without shuffling walks in order, and keeps the last partial batch when asked", async () => {
  const ds = await makeDataset(tiny);
  const r = await visit(ds, { batchSize: 4, prng: new Prng(0), epochShuffle: false, dropLast: false, epochs: 1 });
  assert.deepEqual(r.seen, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  const gen = batches(ds, { batchSize: 11, prng: new Prng(0) });
  await assert.rejects(() => gen.next(), /batchSize must be <= dataset size 10: received 11/);
  const bad = batches(ds, { batchSize: 2, prng: new Prng(0), position: { epoch: 0, index: 11 } });
  await assert.rejects(() => bad.next(), /Cannot resume batching/);
});

Deno.test("epochPermutation() is a permutation that changes with the epoch", () => {
  const p0 = epochPermutation(50, { seed: 123, epoch: 0 }), p1 = epochPermutation(50, { seed: 123, epoch: 1 });
  assert.deepEqual(p0.toSorted((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.notDeepEqual(p0, p1);
  assert.deepEqual(p0, epochPermutation(50, { seed: 123, epoch: 0 }));
});

// Keep the type imported for documentation of the yielded value.
export type { Batch };
