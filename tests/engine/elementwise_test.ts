import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../lib/random/mod.ts";
import { broadcastPlan } from "../../lib/engine/_elementwise.ts";
import { assertSameAsCpu, BLAS_SKIP, gradsOf, type Input, input, runOn } from "./_compare.ts";

const ignore = BLAS_SKIP != null;

/** Shape pairs covering each broadcasting path. */
const SHAPES: [number[], number[], string][] = [
  [[4, 5, 6], [4, 5, 6], "same shape"],
  [[4, 5, 6], [], "scalar right"],
  [[], [4, 5, 6], "scalar left"],
  [[4, 5, 6], [6], "last axis (bias)"],
  [[6], [4, 5, 6], "last axis left"],
  [[4, 5, 6], [4, 5, 1], "row (keepDims)"],
  [[4, 1, 6], [5, 1], "general"],
  [[3, 1], [1, 4], "outer product"],
  [[1, 1, 6], [2, 3, 1], "size-1 dims both sides"],
  [[2, 3, 4, 5], [3, 1, 5], "rank mismatch"],
  [[1], [7], "length-1 vector"],
  [[0, 3], [3], "empty"],
];

const BINARY: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
  ["add", tf.add],
  ["sub", tf.sub],
  ["mul", tf.mul],
  ["div", tf.div],
  ["squaredDifference", tf.squaredDifference],
  ["maximum", tf.maximum],
  ["minimum", tf.minimum],
  ["prelu", (a, b) => tf.prelu(a, b)],
];

Deno.test("broadcastPlan() collapses each broadcasting pattern to the fewest loops", () => {
  assert.deepEqual(broadcastPlan([4, 5, 6], [4, 5, 6]).sizes, [120]);
  const bias = broadcastPlan([4, 5, 6], [6]);
  assert.deepEqual([bias.sizes, bias.aStrides, bias.bStrides], [[20, 6], [6, 1], [0, 1]]);
  const rows = broadcastPlan([4, 5, 6], [4, 5, 1]);
  assert.deepEqual([rows.sizes, rows.aStrides, rows.bStrides], [[20, 6], [6, 1], [1, 0]]);
  assert.deepEqual(broadcastPlan([4, 5, 6], []).bStrides, [0]);
  assert.deepEqual(broadcastPlan([1, 1], [1]).sizes, []);
  assert.throws(() => broadcastPlan([2, 3], [4]), /broadcast/);
  assert.throws(() => broadcastPlan([2, 1], [1], [1]), /Cannot broadcast/);
});

Deno.test({ name: "binary kernels on blas equal cpu on every broadcasting pattern", ignore }, async () => {
  const prng = new Prng(10);
  for (const [sa, sb, what] of SHAPES) {
    const a = input(prng, sa), b = input(prng, sb);
    for (const [name, op] of BINARY) {
      if (name === "prelu" && sb.length > sa.length) continue; // alpha broadcasts to x only
      await assertSameAsCpu(op, [a, b], `${name} ${what}`);
    }
  }
});

Deno.test({ name: "pow on blas equals cpu for positive bases and scalar exponents", ignore }, async () => {
  const prng = new Prng(11);
  const base: Input = { values: input(prng, [3, 4]).values.map(Math.abs), shape: [3, 4] };
  for (const e of [2, 3, 0.5, -1.5]) {
    await assertSameAsCpu((a, b) => tf.pow(a, b), [base, { values: new Float32Array([e]), shape: [] }], `pow ^${e}`);
  }
  await assertSameAsCpu((a, b) => tf.pow(a, b), [base, input(prng, [4])], "pow broadcast exponent");
});

Deno.test({ name: "binary kernels on blas propagate NaN and infinities like cpu", ignore }, async () => {
  const special = new Float32Array([NaN, Infinity, -Infinity, 0, -0, 1e-38, -3e38, 2]);
  const other = new Float32Array([1, NaN, 2, -0, 0, Infinity, -1, -Infinity]);
  for (const [name, op] of BINARY) {
    await assertSameAsCpu(op, [{ values: special, shape: [8] }, { values: other, shape: [8] }], `${name} specials`);
  }
});

Deno.test({ name: "int32 binary ops on blas fall back to the cpu kernels", ignore }, async () => {
  const a: Input = { values: new Int32Array([1, -2, 3, 7]), shape: [4], dtype: "int32" };
  const b: Input = { values: new Int32Array([2]), shape: [1], dtype: "int32" };
  for (const op of [tf.add, tf.sub, tf.mul, tf.maximum]) await assertSameAsCpu(op, [a, b], `int32 ${op.name}`);
});

Deno.test({ name: "binary-op gradients on blas equal cpu with broadcasting on either side", ignore }, async () => {
  const prng = new Prng(12);
  const pairs: [number[], number[]][] = [[[4, 5, 6], [6]], [[4, 1, 6], [5, 1]], [[], [3, 4]], [[3, 4], [3, 1]]];
  for (const [sa, sb] of pairs) {
    const a = input(prng, sa),
      b: Input = { values: input(prng, sb).values.map((v) => v + Math.sign(v) * 0.5), shape: sb };
    for (const [name, op] of BINARY.filter(([n]) => ["add", "sub", "mul", "div"].includes(n))) {
      await assertSameAsCpu(gradsOf(op), [a, b], `${name} grads [${sa}] [${sb}]`);
    }
  }
  // TensorFlow.js's SquaredDifference/Maximum/Minimum gradients do not reduce broadcast axes: same shapes only.
  for (const op of [tf.squaredDifference, tf.maximum, tf.minimum]) {
    await assertSameAsCpu(gradsOf(op), [input(prng, [3, 4]), input(prng, [3, 4])], `${op.name} grads`);
  }
});

const UNARY: [string, (x: tf.Tensor) => tf.Tensor, (v: number) => number][] = [
  ["exp", tf.exp, (v) => v],
  ["expm1", tf.expm1, (v) => v],
  ["log", tf.log, Math.abs],
  ["log1p", tf.log1p, Math.abs],
  ["sqrt", tf.sqrt, Math.abs],
  ["rsqrt", tf.rsqrt, (v) => Math.abs(v) + 0.1],
  ["reciprocal", tf.reciprocal, (v) => v + Math.sign(v) * 0.1],
  ["neg", tf.neg, (v) => v],
  ["abs", tf.abs, (v) => v],
  ["square", tf.square, (v) => v],
  ["tanh", tf.tanh, (v) => v * 4],
  ["sigmoid", tf.sigmoid, (v) => v * 6],
  ["sin", tf.sin, (v) => v * 3],
  ["cos", tf.cos, (v) => v * 3],
  ["erf", tf.erf, (v) => v * 2],
  ["relu", tf.relu, (v) => v],
  ["relu6", tf.relu6, (v) => v * 5],
  ["elu", tf.elu, (v) => v],
  ["step", (x) => tf.step(x, 0.3), (v) => v],
  ["leakyRelu", (x) => tf.leakyRelu(x, 0.1), (v) => v],
  ["clipByValue", (x) => tf.clipByValue(x, -0.5, 0.7), (v) => v],
];

Deno.test({ name: "unary kernels on blas equal cpu, including tiny, huge and special values", ignore }, async () => {
  const prng = new Prng(13);
  const specials = [0, -0, 1e-30, -1e-30, 1e-8, 0.2499, 0.25, 30, -30, 90, -110, NaN, Infinity, -Infinity];
  for (const [name, op, map] of UNARY) {
    const x = input(prng, [5, 7]);
    await assertSameAsCpu(op, [{ values: x.values.map(map), shape: x.shape }], name);
    await assertSameAsCpu(op, [{ values: new Float32Array(specials), shape: [specials.length] }], `${name} specials`);
  }
});

Deno.test({ name: "unary gradients on blas (fused Tanh/Sigmoid/Square, stock others) equal cpu", ignore }, async () => {
  const prng = new Prng(14);
  for (const [name, op, map] of UNARY.filter(([n]) => !["step", "relu6", "clipByValue"].includes(n))) {
    const x = input(prng, [3, 8]);
    await assertSameAsCpu(gradsOf(op), [{ values: x.values.map(map), shape: x.shape }], `${name} grad`);
  }
});

Deno.test(
  { name: "exp and tanh on blas stay within 2 float32 ulps of Math.exp / Math.tanh over their range", ignore },
  async () => {
    const n = 20001;
    const xs = new Float32Array(n);
    for (let i = 0; i < n; i++) xs[i] = -100 + (188 * i) / (n - 1);
    const [e, t] = await runOn("blas", (x) => [tf.exp(x), tf.tanh(tf.div(x, 10))], [{ values: xs, shape: [n] }]);
    for (let i = 0; i < n; i++) {
      const ee = Math.fround(Math.exp(xs[i])), tt = Math.fround(Math.tanh(Math.fround(xs[i] / 10)));
      assert.ok(Math.abs(e[i] - ee) <= 2.4e-7 * ee, `exp(${xs[i]}): ${e[i]} vs ${ee}`);
      assert.ok(Math.abs(t[i] - tt) <= 2.4e-7 * Math.abs(tt) + 1e-45, `tanh(${xs[i] / 10}): ${t[i]} vs ${tt}`);
    }
  },
);

Deno.test({ name: "comparison kernels on blas equal cpu (bool output, NaN, broadcasting)", ignore }, async () => {
  const prng = new Prng(15);
  const specials = new Float32Array([NaN, 1, -0, 0, Infinity, 2, 2, -3]);
  const other = new Float32Array([NaN, 1, 0, -0, Infinity, 3, 1, -3]);
  for (const op of [tf.equal, tf.notEqual, tf.greater, tf.greaterEqual, tf.less, tf.lessEqual]) {
    await assertSameAsCpu((a, b) => tf.cast(op(a, b), "float32"), [{ values: specials, shape: [8] }, {
      values: other,
      shape: [8],
    }], `${op.name} specials`);
    await assertSameAsCpu(
      (a, b) => tf.cast(op(a, b), "float32"),
      [input(prng, [3, 1, 4]), input(prng, [5, 1])],
      `${op.name} broadcast`,
    );
  }
  const [bool] = await runOn("blas", (a, b) => tf.greater(a, b), [input(prng, [3]), input(prng, [3])]);
  assert.equal(bool.length, 3);
  await assertSameAsCpu(
    gradsOf((t) => tf.clipByValue(t, -0.5, 0.5)),
    [input(prng, [4, 6])],
    "clipByValue grad (comparisons + select)",
  );
});
