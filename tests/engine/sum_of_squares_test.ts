import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../lib/random/mod.ts";
import { adamWUpdate, sumOfSquares } from "../../lib/engine/mod.ts";
import { BLAS_SKIP, input, runOn } from "./_compare.ts";

const ignore = BLAS_SKIP != null;

Deno.test("sumOfSquares() adds every element's square over all the tensors (hand-computed)", () => {
  const ts = [tf.tensor([3, 4]), tf.tensor([[12]]), tf.tensor([[1, -1], [0, 2]])];
  assert.equal(sumOfSquares(ts).dataSync()[0], 9 + 16 + 144 + 1 + 1 + 0 + 4);
  assert.deepEqual(sumOfSquares(ts).shape, []);
  assert.throws(() => sumOfSquares([]), /at least one/);
  assert.throws(() => sumOfSquares([tf.tensor([1], [1], "int32")]), /int32 tensor: expected float32/);
  tf.dispose(ts);
});

Deno.test({
  name: "sumOfSquares on blas equals the composed square/sum/addN bit for bit, on blas and on cpu",
  ignore,
  fn: async () => {
    const prng = new Prng(71);
    const inputs = [input(prng, [37, 5]), input(prng, [4096 + 3], 0.01), input(prng, [3, 2, 7], 30)];
    const composed = (...ts: tf.Tensor[]) => tf.addN(ts.map((t) => tf.sum(tf.square(t))));
    const [fused] = await runOn("blas", (...ts) => sumOfSquares(ts), inputs);
    assert.deepEqual(fused, (await runOn("blas", composed, inputs))[0]);
    assert.deepEqual(
      (await runOn("cpu", (...ts) => sumOfSquares(ts), inputs))[0],
      (await runOn("cpu", composed, inputs))[0],
    );
  },
});

Deno.test({
  name: "adamWUpdate with gradScale equals the update on tf.mul(grad, scale) bit for bit, on blas and on cpu",
  ignore,
  fn: async () => {
    const prng = new Prng(72);
    const inputs = [input(prng, [300]), input(prng, [300]), input(prng, [300], 0.1), input(prng, [300], 0.1)];
    const options = { lr: 1e-3, step: 3, weightDecay: 0.01 };
    const scale = 1 / (2.718281828 + 1e-6); // a clipping factor, not a float32 value
    const update = (withScale: boolean) => (p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor) => {
      const r = withScale
        ? adamWUpdate(p, { grad: g, m, v: tf.abs(v) }, { ...options, gradScale: scale })
        : adamWUpdate(p, { grad: tf.mul(g, scale), m, v: tf.abs(v) }, options);
      return [r.param, r.m, r.v];
    };
    for (const backend of ["blas", "cpu"] as const) {
      const got = await runOn(backend, update(true), inputs);
      const want = await runOn(backend, update(false), inputs);
      got.forEach((g, i) => assert.deepEqual(g, want[i], `${backend} output ${i}`));
    }
    assert.throws(
      () =>
        adamWUpdate(tf.zeros([1]), { grad: tf.zeros([1]), m: tf.zeros([1]), v: tf.zeros([1]) }, {
          lr: 1,
          step: 1,
          gradScale: NaN,
        }),
      /gradScale must be finite: received NaN/,
    );
  },
});
