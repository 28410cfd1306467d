import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../lib/random/mod.ts";
import { reduceValues } from "../../lib/engine/_reduce.ts";
import { assertSameAsCpu, BLAS_SKIP, gradsOf, input } from "./_compare.ts";

const ignore = BLAS_SKIP != null;

const REDUCERS: [string, (x: tf.Tensor, axis?: number | number[], keepDims?: boolean) => tf.Tensor][] = [
  ["sum", tf.sum],
  ["mean", tf.mean],
  ["max", tf.max],
  ["min", tf.min],
];

Deno.test("reduceValues() sums hand-computed rows, columns and middle axes", () => {
  const x = { values: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] };
  assert.deepEqual(Array.from(reduceValues("sum", x, [1])), [6, 15]);
  assert.deepEqual(Array.from(reduceValues("sum", x, [0])), [5, 7, 9]);
  assert.deepEqual(Array.from(reduceValues("mean", x, [0, 1])), [3.5]);
  assert.deepEqual(Array.from(reduceValues("max", x, [-1])), [3, 6]);
  const y = { values: Float32Array.from({ length: 24 }, (_, i) => i), shape: [2, 3, 4] };
  // [K1=2, R=3, K2=4]: out[a, c] = Σ_b y[a, b, c]
  assert.deepEqual(Array.from(reduceValues("sum", y, [1])), [12, 15, 18, 21, 48, 51, 54, 57]);
  // two separate reduced axes (0 and 2) go through the transpose
  assert.deepEqual(Array.from(reduceValues("min", y, [0, 2])), [0, 4, 8]);
});

Deno.test(
  { name: "Sum/Mean/Max/Min on blas equal cpu over every axis pattern, with and without keepDims", ignore },
  async () => {
    const prng = new Prng(20);
    const x = input(prng, [3, 4, 1, 5]);
    const axesList: (number | number[] | undefined)[] = [undefined, -1, 0, 1, 2, [0, 1], [1, 3], [0, 3], [0, 2, 3], [
      2,
    ]];
    for (const [name, op] of REDUCERS) {
      for (const axes of axesList) {
        for (const keepDims of [false, true]) {
          await assertSameAsCpu(
            (t) => op(t, axes, keepDims),
            [x],
            `${name} axes ${JSON.stringify(axes)} keepDims ${keepDims}`,
          );
        }
      }
    }
  },
);

Deno.test({ name: "Max/Min on blas propagate NaN and Sum handles infinities like cpu", ignore }, async () => {
  const v = new Float32Array([1, NaN, 3, -Infinity, 5, 6, Infinity, 2]);
  for (const [name, op] of REDUCERS) {
    for (const axis of [0, 1]) {
      await assertSameAsCpu((t) => op(t, axis), [{ values: v, shape: [2, 4] }], `${name} specials axis ${axis}`);
    }
  }
});

Deno.test({ name: "Sum/Mean gradients (fused broadcast) and Max gradient on blas equal cpu", ignore }, async () => {
  const prng = new Prng(21);
  const x = input(prng, [3, 4, 5]);
  for (const axes of [undefined, -1, 0, [0, 2]]) {
    await assertSameAsCpu(gradsOf((t) => tf.sum(t, axes, true)), [x], `sum grad ${JSON.stringify(axes)}`);
    await assertSameAsCpu(gradsOf((t) => tf.mean(t, axes)), [x], `mean grad ${JSON.stringify(axes)}`);
    await assertSameAsCpu(gradsOf((t) => tf.max(t, axes)), [x], `max grad ${JSON.stringify(axes)}`);
  }
  await assertSameAsCpu(gradsOf((t) => tf.moments(t, -1, true).variance), [x], "moments variance grad");
});

Deno.test({ name: "int32 sums on blas fall back to the cpu kernel", ignore }, async () => {
  await assertSameAsCpu(
    (t) => tf.sum(t, 0),
    [{ values: new Int32Array([1, 2, 3, 4]), shape: [2, 2], dtype: "int32" }],
    "int32 sum",
  );
});
