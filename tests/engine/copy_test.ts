import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../lib/random/mod.ts";
import { copyBox } from "../../lib/engine/_copy.ts";
import { assertSameAsCpu, BLAS_SKIP, gradsOf, input } from "./_compare.ts";

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
