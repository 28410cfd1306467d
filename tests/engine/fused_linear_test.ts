import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../lib/random/mod.ts";
import { fusedLinear } from "../../lib/engine/fused_linear.ts";
import { assertClose, BLAS_SKIP, gradsOf, input, runOn } from "./_compare.ts";

const ignore = BLAS_SKIP != null;

/** The Linear the model used before: TF.js's fused matMul with the bias (reference). */
const stockLinear = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => {
  const [out, inDim] = w.shape as [number, number];
  const x2 = tf.reshape(x, [-1, inDim]) as tf.Tensor2D; // (N, in)
  const y = tf.fused.matMul({ a: x2, b: w as tf.Tensor2D, transposeB: true, bias: b }); // (N, out)
  return tf.reshape(y, [...x.shape.slice(0, -1), out]);
};
const linear = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => fusedLinear(x, w, { bias: b });

Deno.test("fusedLinear computes x·Wᵀ + b (hand-computed), with and without the bias", () => {
  const x = tf.tensor3d([[[1, 2], [3, -1]]]); // (1, 2, 2)
  const w = tf.tensor2d([[1, 0], [1, 1], [0, -2]]); // (out 3, in 2)
  const b = tf.tensor1d([0.5, 0, 10]);
  assert.deepEqual(fusedLinear(x, w, { bias: b }).arraySync(), [[[1.5, 3, 6], [3.5, 2, 12]]]);
  assert.deepEqual(fusedLinear(x, w).arraySync(), [[[1, 3, -4], [3, 2, 2]]]);
  tf.dispose([x, w, b]);
});

Deno.test("fusedLinear's gradients are dy·W, dyᵀ·x and Σ dy (hand-computed)", () => {
  const x = tf.tensor2d([[1, 2], [3, -1]]);
  const w = tf.tensor2d([[1, 0], [1, 1], [0, -2]]);
  const b = tf.tensor1d([0, 0, 0]);
  const dy = tf.tensor2d([[1, 0, 2], [0, 1, -1]]);
  const f = (a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => fusedLinear(a, c, { bias: d });
  const [dx, dw, db] = tf.grads(f)([x, w, b], dy);
  assert.deepEqual(dx.arraySync(), [[1, -4], [1, 3]]); // dy·W
  assert.deepEqual(dw.arraySync(), [[1, 2], [3, -1], [-1, 5]]); // dyᵀ·x
  assert.deepEqual(db.arraySync(), [1, 1, 1]);
  tf.dispose([x, w, b, dy, dx, dw, db]);
});

Deno.test("fusedLinear rejects a weight, input or bias of the wrong shape, naming what it received", () => {
  const x = tf.zeros([2, 3]);
  assert.throws(() => fusedLinear(x, tf.zeros([4, 2])), /last axis must be 2: received \[2,3\]/);
  assert.throws(() => fusedLinear(x, tf.zeros([4, 3, 1])), /weight must be \[out, in\]: received \[4,3,1\]/);
  assert.throws(() => fusedLinear(x, tf.zeros([4, 3]), { bias: tf.zeros([3]) }), /bias must be \[4\]: received \[3\]/);
});

Deno.test("fusedLinear gives a frozen weight no gradient product: one matMul for dx instead of two", async () => {
  const x = tf.variable(tf.randomNormal([2, 5, 4], 0, 1, "float32", 1));
  const w = tf.randomNormal([3, 4], 0, 1, "float32", 2); // frozen: not differentiated
  const b = tf.zeros([3]);
  const count = async (f: () => tf.Tensor) => {
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(f())), [x]);
      return [value, ...Object.values(grads)];
    });
    tf.dispose(info.result as tf.Tensor[]);
    return info.kernels.filter((k) => k.name === "BatchMatMul").length;
  };
  assert.equal(await count(() => fusedLinear(x, w, { bias: b })), 1);
  assert.equal(await count(() => stockLinear(x, w, b)), 2); // its customGrad computes dW too
  tf.dispose([x, w, b]);
});

Deno.test({
  name: "fusedLinear on blas and on cpu equals tf.fused.matMul on cpu, forward and every gradient",
  ignore,
  fn: async () => {
    const prng = new Prng(61);
    const inputs = [input(prng, [2, 7, 12]), input(prng, [9, 12], 0.3), input(prng, [9])];
    const [want] = await runOn("cpu", stockLinear, inputs);
    const gWant = await runOn("cpu", gradsOf(stockLinear), inputs);
    for (const backend of ["blas", "cpu"] as const) {
      const [got] = await runOn(backend, linear, inputs);
      assertClose(got, want, 1e-6, `linear on ${backend}`);
      const gGot = await runOn(backend, gradsOf(linear), inputs);
      ["dx", "dw", "db"].forEach((n, i) => assertClose(gGot[i], gWant[i], 1e-5, `${n} on ${backend}`));
    }
  },
});

Deno.test("fusedLinear has second derivatives (its gradients are differentiable ops)", () => {
  // ∂/∂x Σ ∂/∂x Σ (x·Wᵀ + b)², against the same through plain matMul and add.
  const x = tf.tensor2d([[0.5, -1], [2, 1]]);
  const w = tf.tensor2d([[1, 2], [-1, 0.5], [0, 3]]);
  const b = tf.tensor1d([0.1, -0.2, 0.3]);
  const second = (f: (a: tf.Tensor) => tf.Tensor) =>
    tf.grad((a: tf.Tensor) => tf.sum(tf.grad((c: tf.Tensor) => tf.sum(tf.square(f(c))))(a)))(x).dataSync();
  assertClose(second((a) => fusedLinear(a, w, { bias: b })), second((a) => tf.add(tf.matMul(a, w, false, true), b)));
  tf.dispose([x, w, b]);
});
