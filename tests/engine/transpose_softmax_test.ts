import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../lib/random/mod.ts";
import { transposeValues } from "../../lib/engine/_transpose.ts";
import { assertSameAsCpu, BLAS_SKIP, gradsOf, type Input, input } from "./_compare.ts";

const ignore = BLAS_SKIP != null;

Deno.test("transposeValues() permutes a hand-written 2x3 and a [2,2,2] case", () => {
  assert.deepEqual(Array.from(transposeValues(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0])), [
    1,
    4,
    2,
    5,
    3,
    6,
  ]);
  const x = new Float32Array([0, 1, 2, 3, 4, 5, 6, 7]);
  // out[i, j, k] = x[j, k, i]
  assert.deepEqual(Array.from(transposeValues(x, [2, 2, 2], [2, 0, 1])), [0, 2, 4, 6, 1, 3, 5, 7]);
});

Deno.test(
  { name: "Transpose on blas equals cpu for attention permutes, tiled cases and size-1 axes", ignore },
  async () => {
    const prng = new Prng(30);
    const cases: [number[], number[]][] = [
      [[2, 7, 3, 5], [0, 2, 1, 3]], // [B, L, H, D] → [B, H, L, D]
      [[2, 3, 7, 5], [0, 2, 1, 3]],
      [[2, 7, 3, 5], [0, 2, 3, 1]],
      [[37, 45], [1, 0]], // tiles with remainders
      [[3, 1, 4, 1, 5], [4, 2, 0, 1, 3]],
      [[2, 3, 4, 5, 6], [4, 3, 2, 1, 0]],
      [[2, 3, 4], [0, 1, 2]],
      [[1, 1, 1], [2, 0, 1]],
      [[6, 70], [1, 0]],
      [[4, 100, 3], [0, 2, 1]],
      [[5, 3, 80], [1, 0, 2]], // contiguous rows of 80 (block copies)
    ];
    for (const [shape, perm] of cases) {
      await assertSameAsCpu((t) => tf.transpose(t, perm), [input(prng, shape)], `transpose [${shape}] by [${perm}]`);
    }
    const ints: Input = {
      values: Int32Array.from({ length: 24 }, (_, i) => i * 3 - 7),
      shape: [2, 3, 4],
      dtype: "int32",
    };
    await assertSameAsCpu((t) => tf.transpose(t, [2, 0, 1]), [ints], "int32 transpose");
    await assertSameAsCpu(gradsOf((t) => tf.transpose(t, [0, 2, 1, 3])), [input(prng, [2, 3, 4, 5])], "transpose grad");
  },
);

Deno.test(
  { name: "Softmax on blas equals cpu for odd row lengths, large logits and -Infinity entries", ignore },
  async () => {
    const prng = new Prng(31);
    for (const shape of [[1], [7], [3, 5], [2, 3, 17], [2, 2, 3, 144]]) {
      await assertSameAsCpu((t) => tf.softmax(t), [input(prng, shape, 3)], `softmax [${shape}]`);
    }
    const big: Input = { values: new Float32Array([1000, 999, -1000, -Infinity, 5, 6, 7, 8]), shape: [2, 4] };
    await assertSameAsCpu((t) => tf.softmax(t), [big], "softmax extremes");
    await assertSameAsCpu((t) => tf.logSoftmax(t), [input(prng, [4, 9], 2)], "logSoftmax");
  },
);

Deno.test({ name: "Softmax gradient (fused) on blas equals cpu", ignore }, async () => {
  const prng = new Prng(32);
  for (const shape of [[5], [3, 7], [2, 3, 4, 9]]) {
    await assertSameAsCpu(gradsOf((t) => tf.softmax(t)), [input(prng, shape, 2)], `softmax grad [${shape}]`);
  }
  await assertSameAsCpu(gradsOf((t) => tf.logSoftmax(t)), [input(prng, [3, 6])], "logSoftmax grad");
});
