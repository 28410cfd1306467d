import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { type Cond, flowMatching, flowMatchingLoss, shiftSigma } from "../../lib/diffusion/mod.ts";

await initEngine({ backend: "cpu" });

function close(actual: ArrayLike<number>, expected: number[], tol = 1e-6, what = "") {
  assert.strictEqual(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

Deno.test("shiftSigma() matches hand-computed values and fixes 0 and 1", () => {
  assert.strictEqual(shiftSigma(0.5, 3), 0.75); // 1.5 / 2
  assert.strictEqual(shiftSigma(0.5, 5), 5 / 6); // 2.5 / 3
  assert.strictEqual(shiftSigma(0.2, 5), 1 / 1.8); // 1 / (1 + 0.8)
  assert.strictEqual(shiftSigma(0.25, 1), 0.25);
  assert.strictEqual(shiftSigma(0.5, 0.5), 1 / 3); // 0.25 / 0.75
  assert.strictEqual(shiftSigma(0, 7), 0);
  assert.strictEqual(shiftSigma(1, 7), 1);
});

Deno.test("shiftSigma() rejects a non-positive shift or a sigma outside [0, 1]", () => {
  assert.throws(() => shiftSigma(0.5, 0), /shift must be a finite number > 0: received 0/);
  assert.throws(() => shiftSigma(1.5, 2), /sigma must be in \[0, 1\]: received 1.5/);
  assert.throws(() => shiftSigma(NaN, 2), RangeError);
});

Deno.test("flowMatching.noisy/target/timesteps/predictX0 follow the rectified-flow path", () => {
  const x0 = tf.tensor([1, 2, -1, 4], [2, 1, 1, 1, 2]);
  const eps = tf.tensor([0, 4, 3, -4], [2, 1, 1, 1, 2]);
  const xt = flowMatching.noisy(x0, eps, [0.25, 0.5]);
  assert.deepStrictEqual(xt.shape, [2, 1, 1, 1, 2]);
  close(xt.dataSync(), [0.75, 2.5, 1, 0]); // 0.75·1 + 0.25·0, 0.75·2 + 0.25·4, 0.5·(−1) + 0.5·3, 0.5·4 + 0.5·(−4)
  close(flowMatching.target(x0, eps).dataSync(), [-1, 2, 4, -8]);
  close(flowMatching.timesteps([0.25, 0.5]).dataSync(), [250, 500]);
  close(flowMatching.timesteps(0.1, 3).dataSync(), [100, 100, 100], 1e-4);
  // x0 = x_σ − σ·v recovers the data exactly from the true velocity.
  close(flowMatching.predictX0(xt, flowMatching.target(x0, eps), [0.25, 0.5]).dataSync(), [1, 2, -1, 4]);
  assert.throws(() => flowMatching.noisy(x0, eps, [0.5]), /one value per batch entry \(2\): received 1/);
  assert.throws(
    () => flowMatching.noisy(x0, eps, [0.5, 1.2]),
    /sigma as it must be in \[0, 1\]: received 1.2 at index 1/,
  );
  assert.throws(() => flowMatching.target(x0, tf.zeros([2, 2])), /noise must have the shape of x0/);
  tf.dispose([x0, eps, xt]);
});

Deno.test("flowMatchingLoss() is the MSE of v against ε − x0 at t = 1000σ, per sample and weighted", () => {
  const x0 = tf.tensor([1, 2, -1, 4], [2, 1, 1, 1, 2]);
  const eps = tf.tensor([0, 4, 3, -4], [2, 1, 1, 1, 2]);
  const seen: { t?: number[]; x?: number[]; cond?: Cond } = {};
  // A model that predicts 2·x_σ, so the error is hand-computable.
  const model = (x: tf.Tensor, t: tf.Tensor, cond: Cond) => {
    seen.t = Array.from(t.dataSync());
    seen.x = Array.from(x.dataSync());
    seen.cond = cond;
    return tf.mul(x, 2);
  };
  const context = tf.ones([2, 3]);
  const before = tf.memory().numTensors;
  const { loss, perSample } = flowMatchingLoss(model, x0, { sigma: [0.25, 0.5], noise: eps, cond: { context } });
  assert.strictEqual(tf.memory().numTensors, before + 2, "only loss and perSample remain");
  close(seen.t!, [250, 500]);
  close(seen.x!, [0.75, 2.5, 1, 0]);
  assert.strictEqual(seen.cond!.context, context);
  // v̂ = [1.5, 5, 2, 0], target = [−1, 2, 4, −8]: squared errors [6.25, 9, 4, 64].
  close(perSample.dataSync(), [7.625, 34]);
  close(loss.dataSync(), [20.8125]);
  const w = flowMatchingLoss(model, x0, { sigma: [0.25, 0.5], noise: eps, weights: [2, 0.5] });
  close(w.loss.dataSync(), [(2 * 7.625 + 0.5 * 34) / 2]);
  close(w.perSample.dataSync(), [7.625, 34]);
  tf.dispose([x0, eps, context, loss, perSample, w.loss, w.perSample]);
});

Deno.test("flowMatchingLoss() with elementWeights weights each position's squared error and leaves perSample unweighted", () => {
  const x0 = tf.tensor([1, 2, -1, 4], [2, 1, 1, 1, 2]);
  const eps = tf.tensor([0, 4, 3, -4], [2, 1, 1, 1, 2]);
  const model = (x: tf.Tensor) => tf.mul(x, 2);
  // Squared errors [6.25, 9 | 4, 64] (see the test above); weights [1, 11 | 11, 1].
  const w = tf.tensor([1, 11, 11, 1], [2, 1, 1, 1, 2]);
  const r = flowMatchingLoss(model, x0, { sigma: [0.25, 0.5], noise: eps, elementWeights: w });
  close(r.perSample.dataSync(), [7.625, 34]);
  // Per sample (6.25 + 99) / 2 = 52.625 and (44 + 64) / 2 = 54; mean 53.3125.
  close(r.loss.dataSync(), [53.3125], 1e-5);
  // With per-sample weights [2, 0.5] as well: (2·52.625 + 0.5·54) / 2 = 66.125.
  const both = flowMatchingLoss(model, x0, { sigma: [0.25, 0.5], noise: eps, elementWeights: w, weights: [2, 0.5] });
  close(both.loss.dataSync(), [66.125], 1e-5);
  // A [B, 1, …] weight broadcasts over channels: two identical channels give the one-channel loss.
  const x2 = tf.concat([x0, x0], 1), e2 = tf.concat([eps, eps], 1);
  const r2 = flowMatchingLoss(model, x2, { sigma: [0.25, 0.5], noise: e2, elementWeights: w });
  close(r2.loss.dataSync(), [53.3125], 1e-5);
  const wrong = tf.ones([1, 1, 1, 1, 2]);
  assert.throws(
    () => flowMatchingLoss(model, x0, { sigma: 0.5, noise: eps, elementWeights: wrong }),
    /elementWeights must broadcast to x0's \[2,1,1,1,2\].*received \[1,1,1,1,2\]/,
  );
  tf.dispose([x0, eps, w, wrong, r.loss, r.perSample, both.loss, both.perSample, x2, e2, r2.loss, r2.perSample]);
});

Deno.test("flowMatchingLoss() is zero for the exact velocity and differentiable through the model", () => {
  const x0 = tf.tensor([0.5, -1, 2, 3, 0, 1], [3, 1, 1, 1, 2]);
  const eps = tf.tensor([1, 1, -2, 0.5, 0.25, 0], [3, 1, 1, 1, 2]);
  const exact = () => flowMatching.target(x0, eps);
  const r = flowMatchingLoss(exact, x0, { sigma: [0, 0.5, 1], noise: eps });
  assert.strictEqual(r.loss.dataSync()[0], 0);
  const scale = tf.variable(tf.scalar(0.5));
  const { grads, value } = tf.variableGrads(() =>
    flowMatchingLoss((x) => tf.mul(x, scale), x0, { sigma: 0.5, noise: eps }).loss
  );
  // d/dk mean((k·x − v)²) = 2·mean(x·(k·x − v)), checked against a finite difference.
  const f = (k: number) =>
    tf.tidy(() => flowMatchingLoss((x) => tf.mul(x, k), x0, { sigma: 0.5, noise: eps }).loss.dataSync()[0]);
  const fd = (f(0.5 + 1e-3) - f(0.5 - 1e-3)) / 2e-3;
  assert.ok(Math.abs(grads[scale.name].dataSync()[0] - fd) < 1e-3, `${grads[scale.name].dataSync()[0]} vs ${fd}`);
  assert.ok(Math.abs(value.dataSync()[0] - f(0.5)) < 1e-6);
  assert.throws(
    () => flowMatchingLoss((x) => tf.reshape(x, [-1]), x0, { sigma: 0.5, noise: eps }),
    /must return x0's shape/,
  );
  assert.throws(
    () => flowMatchingLoss(exact, x0, { sigma: 0.5, noise: eps, weights: [1] }),
    /weights must have 3 values: received 1/,
  );
  tf.dispose([x0, eps, r.loss, r.perSample, scale, value, ...Object.values(grads)]);
});
