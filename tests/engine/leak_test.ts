import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../lib/random/mod.ts";
import { fusedAttention, geluTanh, silu } from "../../lib/engine/mod.ts";
import { BLAS_SKIP, normals } from "./_compare.ts";

const ignore = BLAS_SKIP != null;

/** A small pre-norm transformer block (SiLU patch embedding, attention, MLP) with every replaced kernel on its path. */
function makeBlock(prng: Prng, c: number, heads: number, fused: boolean) {
  const v = (shape: number[], scale: number) => tf.variable(tf.tensor(normals(prng, shape, scale), shape));
  const p = {
    qkv: v([3 * c, c], 0.2),
    qkvB: v([3 * c], 0.02),
    o: v([c, c], 0.2),
    up: v([4 * c, c], 0.2),
    upB: v([4 * c], 0.02),
    down: v([c, 4 * c], 0.1),
    conv: v([1, 2, 2, c, c], 0.1),
  };
  const norm = (x: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-6)));
  };
  const gelu = (x: tf.Tensor) =>
    fused
      ? geluTanh(x)
      : tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(0.8, tf.add(x, tf.mul(0.04, tf.pow(x, 3)))))));
  const forward = (video: tf.Tensor) => {
    const b = video.shape[0];
    const conv = tf.conv3d(video as tf.Tensor5D, p.conv as unknown as tf.Tensor5D, [1, 2, 2], "valid");
    const x0 = tf.reshape(fused ? silu(conv) : tf.mul(conv, tf.sigmoid(conv)), [
      b,
      -1,
      c,
    ]); // (B, L, C)
    const l = x0.shape[1] as number, d = c / heads;
    const qkv = tf.add(tf.matMul(tf.reshape(norm(x0), [-1, c]), p.qkv, false, true), p.qkvB); // (B·L, 3C)
    const [q, k, vv] = tf.split(tf.reshape(qkv, [b, l, 3, heads, d]), 3, 2).map((t) => tf.reshape(t, [b, l, heads, d]));
    const att = fused ? fusedAttention(q, { k, v: vv }) : tf.transpose(
      tf.matMul(
        tf.softmax(
          tf.mul(
            tf.matMul(tf.transpose(q, [0, 2, 1, 3]), tf.transpose(k, [0, 2, 1, 3]), false, true),
            1 / Math.sqrt(d),
          ),
        ),
        tf.transpose(vv, [0, 2, 1, 3]),
      ),
      [0, 2, 1, 3],
    );
    const x1 = tf.add(x0, tf.reshape(tf.matMul(tf.reshape(att, [-1, c]), p.o, false, true), [b, l, c]));
    const h = gelu(tf.add(tf.matMul(tf.reshape(norm(x1), [-1, c]), p.up, false, true), p.upB));
    const x2 = tf.add(x1, tf.reshape(tf.matMul(h, p.down, false, true), [b, l, c]));
    return tf.mean(tf.square(tf.sub(x2, 0.5)));
  };
  return { p, forward };
}

for (const fused of [false, true]) {
  Deno.test({
    name: `repeated fwd+bwd+Adam steps of an attention+MLP block on blas leak no tensors (${
      fused ? "fused ops" : "composed ops"
    })`,
    ignore,
  }, () => {
    const prng = new Prng(60);
    const c = 8;
    const { p, forward } = makeBlock(prng, c, 2, fused);
    const video = tf.tensor(normals(prng, [2, 2, 4, 4, c]), [2, 2, 4, 4, c]);
    const opt = tf.train.adam(1e-3);
    const vars = Object.values(p);
    const losses: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < 6; i++) {
      const cost = opt.minimize(() => forward(video) as tf.Scalar, true, vars);
      losses.push(cost!.dataSync()[0]);
      cost!.dispose();
      counts.push(tf.memory().numTensors);
    }
    // Adam creates its moment slots in the first step; afterwards the count is flat.
    assert.deepEqual(counts.slice(1), Array(5).fill(counts[1]), `tensor counts ${counts}`);
    assert.ok(losses.every(Number.isFinite), `${losses}`);
    assert.ok(losses[5] < losses[0], `loss decreases: ${losses}`);
    opt.dispose();
    tf.dispose([video, ...vars]);
  });
}
