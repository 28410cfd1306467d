import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../lib/random/mod.ts";
import { copyBox } from "../../lib/engine/_copy.ts";
import { assertSameAsCpu, BLAS_SKIP, gradsOf, type Input, input } from "./_compare.ts";

const ignore = BLAS_SKIP != null;

Deno.test("copyBox() copies a hand-checked 2x2 box out of a 3x4 array", () => {
  const src = Float32Array.from({ length: 12 }, (_, i) => i);
  const dst = new Float32Array(4);
  copyBox(src, [3, 4], [1, 2], dst, [2, 2], [0, 0], [2, 2]);
  assert.deepEqual(Array.from(dst), [6, 7, 10, 11]);
});

Deno.test({ name: "Slice, SplitV, Concat, PadV2 and Tile on blas equal cpu", ignore }, async () => {
  const prng = new Prng(70);
  const x = input(prng, [3, 4, 5, 6]);
  const slices: [number[], number[]][] = [
    [[1, 0, 2, 1], [2, 4, 3, 4]],
    [[0, 1, 0, 0], [3, 2, 5, 6]],
    [[0, 0, 0, 0], [1, 4, 5, 6]], // contiguous (view in the cpu kernel)
    [[2, 3, 4, 5], [1, 1, 1, 1]],
    [[0, 0, 0, 2], [-1, -1, -1, 3]],
  ];
  for (const [b, s] of slices) await assertSameAsCpu((t) => tf.slice(t, b, s), [x], `slice ${b} ${s}`);
  for (const [sizes, axis] of [[[1, 2], 0], [[1, 3], 1], [5, 2], [[2, -1, 1], 3], [[0, 4], 1]] as const) {
    await assertSameAsCpu((t) => tf.split(t, sizes as number | number[], axis), [x], `split ${sizes} axis ${axis}`);
  }
  const y = input(prng, [3, 2, 5, 6]), z = input(prng, [3, 4, 5, 1]);
  await assertSameAsCpu((a, b) => tf.concat([a, b], 1), [x, y], "concat axis 1");
  await assertSameAsCpu((a, b) => tf.concat([a, b, a], 3), [x, z], "concat axis 3");
  await assertSameAsCpu((a) => tf.concat([a, a], 0), [x], "concat axis 0");
  await assertSameAsCpu(
    (a, b) => tf.concat([a, b], -1),
    [input(prng, [7]), input(prng, [0])],
    "concat rank 1 with empty",
  );
  const pads: [[number, number][], number][] = [
    [[[0, 0], [1, 2], [0, 0], [3, 0]], 0],
    [[[1, 1], [0, 0], [2, 2], [1, 1]], -2.5],
  ];
  for (const [p, c] of pads) await assertSameAsCpu((t) => tf.pad(t, p, c), [x], `pad ${JSON.stringify(p)}`);
  for (const reps of [[1, 2, 1, 3], [2, 1, 1, 1], [1, 1, 1, 1]]) {
    await assertSameAsCpu((t) => tf.tile(t, reps), [x], `tile ${reps}`);
  }
  await assertSameAsCpu((t) => tf.broadcastTo(t, [2, 3, 5]), [input(prng, [3, 1])], "broadcastTo (tile)");
});

Deno.test(
  { name: "gradients through concat (SplitV), slice (pad) and pad (slice) on blas equal cpu", ignore },
  async () => {
    const prng = new Prng(71);
    const a = input(prng, [2, 3, 4]), b = input(prng, [2, 5, 4]);
    await assertSameAsCpu(gradsOf((p, q) => tf.concat([p, q, p], 1)), [a, b], "concat grads");
    await assertSameAsCpu(gradsOf((p) => tf.slice(p, [0, 1, 1], [2, 2, 2])), [a], "slice grad");
    await assertSameAsCpu(gradsOf((p) => tf.pad(p, [[1, 0], [0, 2], [1, 1]])), [a], "pad grad");
    await assertSameAsCpu(gradsOf((p) => tf.tile(p, [2, 1, 3])), [a], "tile grad");
  },
);

Deno.test({ name: "GatherV2 on blas equals cpu for every axis, batchDims, int32 and float32", ignore }, async () => {
  const prng = new Prng(72);
  const x = input(prng, [4, 3, 5, 2]);
  const ints = (vals: number[], shape: number[]): Input => ({ values: Int32Array.from(vals), shape, dtype: "int32" });
  const rows = ints([3, 0, 3, 1, 2], [5]);
  for (const axis of [0, 1, 2, 3, -1]) {
    const dim = x.shape.at(axis)!;
    const idx = ints([dim - 1, 0, Math.floor(dim / 2)], [3]);
    await assertSameAsCpu((t, i) => tf.gather(t, i, axis), [x, idx], `gather axis ${axis}`);
  }
  await assertSameAsCpu((t, i) => tf.gather(t, i, 0), [x, ints([1, 2, 0, 3, 3, 1], [2, 3])], "gather 2-D indices");
  await assertSameAsCpu((t, i) => tf.gather(t, i, 2, 1), [x, ints([0, 4, 1, 2, 3, 0, 4, 4], [4, 2])], "gather batchDims 1");
  await assertSameAsCpu(
    (t, i) => tf.cast(tf.gather(t, i, 0), "float32"),
    [ints(Array.from({ length: 24 }, (_, k) => k * 7 - 40), [6, 4]), rows],
    "gather int32 rows",
  );
  await assertSameAsCpu((t, i) => tf.gather(t, i, 1), [input(prng, [2, 40, 20]), ints([39, 0, 7], [3])], "gather long slices");
  await assertSameAsCpu(gradsOf((t) => tf.gather(t, tf.tensor1d([3, 0, 3], "int32"), 0)), [x], "gather grad");
});

Deno.test({ name: "GatherV2 on blas rejects an index outside the axis with the value and the range", ignore }, async () => {
  await tf.setBackend("blas");
  const x = tf.zeros([3, 2]);
  assert.throws(() => tf.gather(x, tf.tensor1d([0, 3], "int32")), /index value 3 is not in \[0, 2\]/);
  assert.throws(() => tf.gather(x, tf.tensor1d([-1], "int32")), /index value -1 is not in \[0, 2\]/);
  x.dispose();
});

Deno.test({ name: "GatherV2 on blas reads a pooled tensor in place instead of copying it", ignore }, async () => {
  await tf.setBackend("blas");
  const big = tf.exp(tf.zeros([512, 64])); // a pooled output of a fast kernel
  const backend = tf.backend() as unknown as { readSync: (id: unknown) => unknown };
  const read = backend.readSync;
  let copied = 0;
  backend.readSync = function (this: unknown, id: unknown) {
    if (id === big.dataId) copied++;
    return read.call(this, id);
  };
  try {
    const rows = tf.gather(big, tf.tensor1d([5, 9], "int32"));
    assert.deepEqual(rows.shape, [2, 64]);
    assert.ok((rows.dataSync() as Float32Array).every((v) => v === 1));
    rows.dispose();
  } finally {
    backend.readSync = read;
  }
  assert.equal(copied, 0, "x was read through readSync (a full copy of a pooled array)");
  big.dispose();
});
