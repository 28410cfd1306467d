/**
 * The VAE's causal 3D convolution on a single frame (an image) runs as a 2D
 * convolution with the kernel's last temporal tap. It must give what the
 * zero-padded 3D convolution gives, forward and in every gradient, since an
 * image VAE stage trains the same weights a video stage continues.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { VaeLayers } from "../../lib/vae/_layers.ts";

await initEngine({ backend: "cpu" });

/** The definition: pad 2·pt zero frames before and ph, pw on each side, then a valid 3D convolution. */
function reference(x: tf.Tensor5D, w: tf.Tensor, b: tf.Tensor): tf.Tensor5D {
  const filter = tf.transpose(w, [2, 3, 4, 1, 0]) as tf.Tensor5D; // (kt, kh, kw, Cin, Cout)
  const padded = tf.pad(x, [[0, 0], [2, 0], [1, 1], [1, 1], [0, 0]]); // (B, 1+2, H+2, W+2, Cin)
  return tf.add(tf.conv3d(padded, filter, 1, "valid"), b);
}

Deno.test("causalConv3d() of a single frame equals the zero-padded 3D convolution, forward and in the gradients of input, weight and bias", () => {
  const [cin, cout] = [3, 5];
  const w = tf.variable(tf.randomNormal([cout, cin, 3, 3, 3], 0, 0.3, "float32", 1), true, "c.weight");
  const b = tf.variable(tf.randomNormal([cout], 0, 0.3, "float32", 2), true, "c.bias");
  const layers = new VaeLayers({ "c.weight": w, "c.bias": b });
  const x = tf.randomNormal([2, 1, 6, 7, cin], 0, 1, "float32", 3) as tf.Tensor5D; // (B, 1, H, W, Cin)
  const probe = tf.randomNormal([2, 1, 6, 7, cout], 0, 1, "float32", 4); // weights a scalar loss
  const lossOf = (f: (x: tf.Tensor5D) => tf.Tensor5D) => (input: tf.Tensor) => tf.sum(tf.mul(f(input as tf.Tensor5D), probe));
  const ours = layers.causalConv3d("c", x, { padding: [1, 1, 1] });
  const theirs = reference(x, w, b);
  assert.deepEqual(ours.shape, [2, 1, 6, 7, cout]);
  assert.ok(tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0] < 1e-5);
  const gx = [tf.grad(lossOf((v) => layers.causalConv3d("c", v, { padding: [1, 1, 1] })))(x), tf.grad(lossOf((v) => reference(v, w, b)))(x)];
  assert.ok(tf.max(tf.abs(tf.sub(gx[0], gx[1]))).dataSync()[0] < 1e-5, "input gradient");
  const gw = [
    tf.variableGrads(() => lossOf((v) => layers.causalConv3d("c", v, { padding: [1, 1, 1] }))(x) as tf.Scalar).grads,
    tf.variableGrads(() => lossOf((v) => reference(v, w, b))(x) as tf.Scalar).grads,
  ];
  for (const name of ["c.weight", "c.bias"]) {
    assert.ok(tf.max(tf.abs(tf.sub(gw[0][name], gw[1][name]))).dataSync()[0] < 1e-4, `${name} gradient`);
  }
  // The first two temporal taps only ever met zeros: their gradient is exactly zero.
  const early = tf.slice(gw[0]["c.weight"], [0, 0, 0, 0, 0], [-1, -1, 2, -1, -1]);
  assert.equal(tf.max(tf.abs(early)).dataSync()[0], 0);
  assert.ok(tf.max(tf.abs(gw[0]["c.weight"])).dataSync()[0] > 0.1);
});
