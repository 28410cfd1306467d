import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { applyRope, ropePositions, ropeSplit, ropeTables } from "../../lib/model/mod.ts";

await initEngine({ backend: "cpu" });

const close = (a: ArrayLike<number>, b: number[], tol = 1e-6) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `[${i}] ${a[i]} vs ${b[i]}`);
};

Deno.test("ropeSplit() gives Wan's d−4⌊d/6⌋ / 2⌊d/6⌋ / 2⌊d/6⌋ real dims", () => {
  assert.deepEqual(ropeSplit(128), [22, 21, 21]); // 44 / 42 / 42 real dims (Wan2.1-1.3B, head_dim 128)
  assert.deepEqual(ropeSplit(20), [4, 3, 3]); // 8 / 6 / 6
  assert.deepEqual(ropeSplit(16), [4, 2, 2]); // 8 / 4 / 4
});

Deno.test("ropePositions() enumerates the grid in token order f·H·W + h·W + w, with an offset", () => {
  assert.deepEqual(Array.from(ropePositions([2, 1, 2])), [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1]);
  assert.deepEqual(Array.from(ropePositions([1, 2, 1], { offset: [4, 1, -1] })), [4, 1, -1, 4, 2, -1]);
  assert.throws(() => ropePositions([1, -2, 1]), /grid\[1\] must be an integer >= 0: received -2/);
});

Deno.test("ropeTables() angles are pos·θ^(−2j/n) per axis part (head dim 12: 2 pairs each)", () => {
  // n = 4 real dims per axis → pair frequencies 1 and 10000^(−2/4) = 0.01.
  const r = ropeTables([2, 3, 5], { headDim: 12 });
  assert.deepEqual(r.cos.shape, [1, 1, 1, 12]);
  const angles = [2, 0.02, 3, 0.03, 5, 0.05];
  close(r.cos.dataSync(), angles.flatMap((a) => [Math.cos(a), Math.cos(a)]));
  close(r.sin.dataSync(), angles.flatMap((a) => [-Math.sin(a), Math.sin(a)]));
  const swapped = tf.matMul(tf.reshape(tf.range(0, 12), [1, 12]), r.swap);
  assert.deepEqual(Array.from(swapped.dataSync()), [1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10]);
  swapped.dispose();
  tf.dispose([r.cos, r.sin, r.swap]);
});

Deno.test("ropeTables() lays the same values out for every batch item and head", () => {
  const one = ropeTables([0, 1, 2, 3, 4, 5], { headDim: 12 });
  const full = ropeTables([0, 1, 2, 3, 4, 5], { headDim: 12, numHeads: 3, batch: 2 });
  assert.deepEqual(full.cos.shape, [2, 2, 3, 12]);
  const expected = tf.tile(one.sin, [2, 1, 3, 1]);
  assert.deepEqual(full.sin.dataSync(), expected.dataSync());
  assert.throws(
    () => applyRope(tf.zeros([3, 2, 3, 12]), full),
    /tables laid out for batch 2, 3 heads do not fit x \[3,2,3,12\]/,
  );
  tf.dispose([one.cos, one.sin, one.swap, full.cos, full.sin, full.swap, expected]);
});

Deno.test("applyRope() rotates adjacent pairs (2i, 2i+1) as a complex multiply", () => {
  const r = ropeTables([2, 3, 5], { headDim: 12 });
  const x = tf.tensor4d([1, 0, 0, 1, 2, 3, 1, 1, 0, 0, -1, 0], [1, 1, 1, 12]);
  const y = applyRope(x, r).dataSync();
  const rot = (
    a: number,
    b: number,
    t: number,
  ) => [a * Math.cos(t) - b * Math.sin(t), a * Math.sin(t) + b * Math.cos(t)];
  close(y, [
    ...rot(1, 0, 2),
    ...rot(0, 1, 0.02),
    ...rot(2, 3, 3),
    ...rot(1, 1, 0.03),
    ...rot(0, 0, 5),
    ...rot(-1, 0, 0.05),
  ]);
  tf.dispose([r.cos, r.sin, r.swap, x]);
});

Deno.test("rotated q·k depends only on the position difference", () => {
  const q = tf.tensor4d([0.3, -1, 0.5, 2, 1, 0.1, -0.7, 0.4, 0.2, 0.9, -0.3, 1.5], [1, 1, 1, 12]);
  const k = tf.tensor4d([1, 0.2, -0.4, 0.8, 0.6, -1.1, 0.3, 0.5, -0.2, 0.7, 1.2, -0.6], [1, 1, 1, 12]);
  const dot = (pq: number[], pk: number[]) => {
    const rq = ropeTables(pq, { headDim: 12 }), rk = ropeTables(pk, { headDim: 12 });
    const v = tf.sum(tf.mul(applyRope(q, rq), applyRope(k, rk))).dataSync()[0];
    tf.dispose([rq.cos, rq.sin, rq.swap, rk.cos, rk.sin, rk.swap]);
    return v;
  };
  const a = dot([1, 2, 3], [4, 0, 1]);
  const b = dot([11, 7, 5], [14, 5, 3]);
  assert.ok(Math.abs(a - b) < 1e-5, `${a} vs ${b}`);
  assert.ok(Math.abs(a - dot([1, 2, 3], [5, 0, 1])) > 1e-3);
  tf.dispose([q, k]);
});

Deno.test("ropeTables() accepts Float32 positions and rejects malformed ones", () => {
  const r = ropeTables(new Float32Array([0.5, 0, 0]), { headDim: 6 });
  close(r.cos.dataSync(), [Math.cos(0.5), Math.cos(0.5), 1, 1, 1, 1]);
  tf.dispose([r.cos, r.sin, r.swap]);
  assert.throws(() => ropeTables([1, 2], { headDim: 12 }), /positions must be \[L, 3\] row-major: received length 2/);
  assert.throws(() => ropeTables([0, 0, 0], { headDim: 7 }), /headDim must be a positive even integer: received 7/);
  assert.throws(
    () => applyRope(tf.zeros([1, 2, 1, 12]), ropeTables([0, 0, 0], { headDim: 12 })),
    /x must be \[B, 1, N, 12\]/,
  );
});
