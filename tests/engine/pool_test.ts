import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { newF32, noteReleased, noteStored, poolStats } from "../../lib/engine/_pool.ts";
import { BLAS_SKIP } from "./_compare.ts";

const ignore = BLAS_SKIP != null;
const N = 1 << 14; // above the pool's minimum length

Deno.test("the pool recycles a released array, but not one stored twice or viewed", () => {
  const a = newF32(N + 1);
  noteStored(a);
  noteReleased(a);
  assert.equal(newF32(N + 1), a, "released array handed out again");
  const b = newF32(N + 2);
  noteStored(b);
  noteStored(b); // a second data entry on the same array
  noteReleased(b);
  noteReleased(b);
  assert.notEqual(newF32(N + 2), b);
  const c = newF32(N + 3);
  noteStored(c);
  noteStored(c.subarray(0, 10)); // a view stored as another tensor's data
  noteReleased(c);
  assert.notEqual(newF32(N + 3), c);
  const user = new Float32Array(N + 4);
  noteStored(user);
  noteReleased(user);
  assert.notEqual(newF32(N + 4), user, "arrays the pool did not allocate are never recycled");
});

Deno.test({ name: "blas reuses released kernel outputs across steps", ignore }, async () => {
  await tf.setBackend("blas");
  const x = tf.randomUniform([N], -1, 1, "float32", 1);
  const step = () => tf.tidy(() => void tf.exp(tf.tanh(x))); // both outputs released
  step();
  const before = poolStats().hits;
  step();
  assert.ok(poolStats().hits >= before + 2, `hits ${before} → ${poolStats().hits}`);
  x.dispose();
});

Deno.test({ name: "dataSync() on blas returns a copy that later kernels cannot overwrite", ignore }, async () => {
  await tf.setBackend("blas");
  const x = tf.fill([N], 2);
  const y = tf.exp(x);
  const seen = y.dataSync();
  seen[0] = -1;
  assert.equal(y.dataSync()[0], Math.fround(Math.exp(2)), "mutating the copy leaves the tensor alone");
  y.dispose();
  const copy = Float32Array.from(seen);
  tf.tidy(() => void tf.exp(tf.fill([N], 3))); // reuses y's array
  assert.deepEqual(seen, copy);
  x.dispose();
});

Deno.test({ name: "a cpu Slice view of a blas output survives the output's disposal and reuse", ignore }, async () => {
  await tf.setBackend("blas");
  const x = tf.fill([N], 1);
  const y = tf.exp(x); // pooled output
  const head = tf.slice(y, [0], [N / 2]); // the cpu Slice kernel stores a subarray view of y's values
  y.dispose();
  for (let i = 0; i < 3; i++) tf.tidy(() => void tf.exp(tf.fill([N], 5)));
  const v = head.dataSync();
  assert.ok(v.every((e) => e === Math.fround(Math.E)), `slice still reads e: ${v[0]}`);
  tf.dispose([x, head]);
});

Deno.test(
  { name: "a user's Float32Array given to tf.tensor on blas is never reused for outputs", ignore },
  async () => {
    await tf.setBackend("blas");
    const data = new Float32Array(N).fill(7);
    const t = tf.tensor(data, [N]);
    const r = tf.exp(t);
    t.dispose();
    r.dispose();
    for (let i = 0; i < 3; i++) tf.tidy(() => void tf.exp(tf.fill([N], 0)));
    assert.ok(data.every((v) => v === 7));
  },
);
