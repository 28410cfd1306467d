import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../lib/random/mod.ts";
import { fusedAttention, fusedLayerNorm, fusedRmsNorm, geluTanh, silu } from "../../lib/engine/mod.ts";
import { assertClose, assertSameAsCpu, BLAS_SKIP, gradsOf, input, runOn } from "./_compare.ts";

const ignore = BLAS_SKIP != null;

/** The attention of lib/model, written out with composed ops (reference). */
function composedAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor {
  const [qh, kh, vh] = [q, k, v].map((t) => tf.transpose(t, [0, 2, 1, 3])); // (B, H, L, d)
  const p = tf.softmax(tf.mul(tf.matMul(qh, kh, false, true), 1 / Math.sqrt(q.shape[3] as number)));
  return tf.transpose(tf.matMul(p, vh), [0, 2, 1, 3]); // (B, Lq, H, d)
}

function composedGelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(x, tf.square(x)))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

const gelu = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));

Deno.test("geluTanh() matches the formula at hand-picked points on the active backend", () => {
  const xs = [-3, -1, -0.1, 0, 0.5, 2, 6];
  const got = geluTanh(tf.tensor(xs)).dataSync();
  xs.forEach((v, i) => assert.ok(Math.abs(got[i] - gelu(v)) < 1e-6, `${v}: ${got[i]} vs ${gelu(v)}`));
});

Deno.test(
  { name: "geluTanh on blas (fused kernels) equals the composed ops on cpu, forward and gradient", ignore },
  async () => {
    const prng = new Prng(50);
    const x = input(prng, [6, 33], 2);
    const [want] = await runOn("cpu", composedGelu, [x]);
    const [got] = await runOn("blas", geluTanh, [x]);
    assertClose(got, want, 1e-5, "gelu");
    const [gWant] = await runOn("cpu", gradsOf(composedGelu), [x]);
    const [gGot] = await runOn("blas", gradsOf(geluTanh), [x]);
    assertClose(gGot, gWant, 1e-5, "gelu grad");
  },
);

const siluAt = (v: number) => v / (1 + Math.exp(-v));

Deno.test("silu() matches x/(1 + e^−x) at hand-picked points on the active backend", () => {
  const xs = [-30, -3, -1, -0.1, 0, 0.5, 2, 6, 40];
  const got = silu(tf.tensor(xs)).dataSync();
  xs.forEach((v, i) => assert.ok(Math.abs(got[i] - siluAt(v)) < 1e-6, `${v}: ${got[i]} vs ${siluAt(v)}`));
  assert.ok(Math.abs(got[2] - -0.26894142) < 1e-6, `silu(−1) = ${got[2]}`); // −1/(1 + e)
});

Deno.test(
  { name: "silu on blas (fused kernels) equals the composed ops on cpu, forward and gradient", ignore },
  async () => {
    const prng = new Prng(51);
    const x = input(prng, [5, 37], 4);
    const composed = (t: tf.Tensor) => tf.mul(t, tf.sigmoid(t));
    const [want] = await runOn("cpu", composed, [x]);
    const [got] = await runOn("blas", silu, [x]);
    assertClose(got, want, 1e-5, "silu");
    const [gWant] = await runOn("cpu", gradsOf(composed), [x]);
    const [gGot] = await runOn("blas", gradsOf(silu), [x]);
    assertClose(gGot, gWant, 1e-5, "silu grad");
  },
);

Deno.test({ name: "silu second derivative on blas equals finite differences", ignore }, async () => {
  const xs = [-2.5, -0.4, 0.1, 1.2, 3];
  const [got] = await runOn(
    "blas",
    (x) => tf.grad((a: tf.Tensor) => tf.sum(tf.grad((b: tf.Tensor) => tf.sum(silu(b)))(a)))(x),
    [{ values: new Float32Array(xs), shape: [5] }],
  );
  const h = 1e-3;
  xs.forEach((v, i) => {
    const fd = (siluAt(v + h) - 2 * siluAt(v) + siluAt(v - h)) / (h * h);
    assert.ok(Math.abs(got[i] - fd) < 1e-4, `${v}: ${got[i]} vs ${fd}`);
  });
});

Deno.test({ name: "geluTanh second derivative on blas equals finite differences", ignore }, async () => {
  // (TensorFlow.js's own second-order gradients through Tanh are wrong: the
  // saved output is not connected to the tape; the fused op composes its
  // derivative from ops under an outer tape instead.)
  const xs = [-1.5, -0.3, 0.2, 0.9, 2];
  const [got] = await runOn(
    "blas",
    (x) => tf.grad((a: tf.Tensor) => tf.sum(tf.grad((b: tf.Tensor) => tf.sum(geluTanh(b)))(a)))(x),
    [{ values: new Float32Array(xs), shape: [5] }],
  );
  const h = 1e-3;
  xs.forEach((v, i) => {
    const fd = (gelu(v + h) - 2 * gelu(v) + gelu(v - h)) / (h * h);
    assert.ok(Math.abs(got[i] - fd) < 1e-4, `${v}: ${got[i]} vs ${fd}`);
  });
});

Deno.test({
  name: "fusedAttention on blas equals composed attention on cpu, forward and q/k/v gradients (kept or recomputed P)",
  ignore,
}, async () => {
  const prng = new Prng(51);
  for (const [b, lq, lk, h, d] of [[2, 7, 5, 3, 4], [1, 1, 9, 1, 8], [2, 16, 16, 2, 5]]) {
    const xs = [input(prng, [b, lq, h, d]), input(prng, [b, lk, h, d]), input(prng, [b, lk, h, d])];
    const [want] = await runOn("cpu", composedAttention, xs);
    const [got] = await runOn("blas", (q, k, v) => fusedAttention(q, { k, v }), xs);
    assertClose(got, want, 1e-5, `attention ${[b, lq, lk, h, d]}`);
    const gWant = await runOn("cpu", gradsOf(composedAttention), xs);
    for (const recompute of [false, true]) {
      const gGot = await runOn("blas", gradsOf((q, k, v) => fusedAttention(q, { k, v }, { recompute })), xs);
      gGot.forEach((g, i) => assertClose(g, gWant[i], 1e-5, `attention grad #${i} (recompute ${recompute})`));
    }
  }
});

Deno.test(
  { name: "fusedAttention with a bias or a custom scale equals the composed ops on blas and cpu", ignore },
  async () => {
    const prng = new Prng(52);
    const xs = [
      input(prng, [1, 4, 2, 3]),
      input(prng, [1, 6, 2, 3]),
      input(prng, [1, 6, 2, 3]),
      input(prng, [1, 2, 4, 6]),
    ];
    await assertSameAsCpu((q, k, v, bias) => fusedAttention(q, { k, v }, { bias, scale: 0.7 }), xs, "biased attention");
    await assertSameAsCpu(
      gradsOf((q, k, v) => fusedAttention(q, { k, v }, { scale: 0.3 })),
      xs.slice(0, 3),
      "scaled grads",
    );
  },
);

Deno.test(
  { name: "fusedAttention second-order gradient on blas equals finite differences of the first", ignore },
  async () => {
    const prng = new Prng(53);
    const xs = [input(prng, [1, 3, 1, 2]), input(prng, [1, 4, 1, 2]), input(prng, [1, 4, 1, 2])];
    const inner = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
      tf.sum(tf.square(tf.grad((a: tf.Tensor) => tf.sum(tf.square(fusedAttention(a, { k, v }))))(q)));
    const [got] = await runOn("blas", (q, k, v) => tf.grad((a: tf.Tensor) => inner(a, k, v))(q), xs);
    const h = 1e-2;
    for (let i = 0; i < 6; i++) {
      const shifted = (s: number) => {
        const q = Float32Array.from(xs[0].values as Float32Array);
        q[i] += s;
        return runOn("blas", (a, k, v) => inner(a, k, v), [{ values: q, shape: xs[0].shape }, xs[1], xs[2]]);
      };
      const [[up], [down]] = [await shifted(h), await shifted(-h)];
      const fd = (up[0] - down[0]) / (2 * h);
      assert.ok(Math.abs(got[i] - fd) < 2e-3 * (1 + Math.abs(fd)), `d/dq[${i}]: ${got[i]} vs ${fd}`);
    }
  },
);

Deno.test("fusedAttention() rejects mismatched shapes with the received shapes", () => {
  const q = tf.zeros([1, 2, 3, 4]);
  assert.throws(() => fusedAttention(q, { k: tf.zeros([1, 2, 3, 5]), v: tf.zeros([1, 2, 3, 5]) }), /shapes disagree/);
  assert.throws(() => fusedAttention(tf.zeros([2, 3, 4]), { k: q, v: q }), /must be \[B, L, H, d\]/);
});

const layerNormRef = (x: tf.Tensor) => {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-6)));
};
const rmsNormRef = (x: tf.Tensor) => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-6)));

Deno.test("fusedLayerNorm() and fusedRmsNorm() match hand-computed rows on the active backend", () => {
  // [1, 3]: mean 2, var 1 → [−1, 1]; [0, 0, 3]: mean 1, var 2 → [−1, −1, 2]/√2
  assertClose(fusedLayerNorm(tf.tensor([[1, 3]]), { eps: 0 }).dataSync(), [-1, 1], 1e-6, "ln 2");
  assertClose(
    fusedLayerNorm(tf.tensor([0, 0, 3]), { eps: 0 }).dataSync(),
    [-1, -1, 2].map((v) => v / Math.SQRT2),
    1e-6,
    "ln 3",
  );
  // [3, 4]: mean square 12.5 → [3, 4]/√12.5; weight [2, 1], bias [0, 1]
  const w = tf.tensor([2, 1]), b = tf.tensor([0, 1]);
  assertClose(
    fusedRmsNorm(tf.tensor([[3, 4]]), { eps: 0, weight: w }).dataSync(),
    [6 / Math.sqrt(12.5), 4 / Math.sqrt(12.5)],
    1e-6,
    "rms",
  );
  assertClose(
    fusedLayerNorm(tf.tensor([[1, 3]]), { eps: 0, weight: w, bias: b }).dataSync(),
    [-2, 2],
    1e-6,
    "ln affine",
  );
  assert.throws(() => fusedLayerNorm(tf.scalar(1)), /scalar/);
  assert.throws(() => fusedRmsNorm(tf.ones([2]), { eps: -1 }), /eps must be >= 0: received -1/);
});

Deno.test({
  name: "fusedLayerNorm / fusedRmsNorm on blas equal the composed ops on cpu, forward and gradients",
  ignore,
}, async () => {
  const prng = new Prng(54);
  for (const shape of [[7], [3, 5], [2, 4, 33]]) {
    const x = input(prng, shape, 3), w = input(prng, [shape.at(-1)!]), b = input(prng, [shape.at(-1)!]);
    for (
      const [name, fused, ref] of [
        [
          "layerNorm",
          (t: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => fusedLayerNorm(t, { eps: 1e-6, weight: ww, bias: bb }),
          (t: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.add(tf.mul(layerNormRef(t), ww), bb),
        ],
        [
          "rmsNorm",
          (t: tf.Tensor, ww: tf.Tensor) => fusedRmsNorm(t, { weight: ww }),
          (t: tf.Tensor, ww: tf.Tensor) => tf.mul(rmsNormRef(t), ww),
        ],
      ] as const
    ) {
      const xs = name === "layerNorm" ? [x, w, b] : [x, w];
      const [want] = await runOn("cpu", ref, xs);
      const [got] = await runOn("blas", fused, xs);
      assertClose(got, want, 1e-5, `${name} [${shape}]`);
      const gWant = await runOn("cpu", gradsOf(ref), xs);
      const gGot = await runOn("blas", gradsOf(fused), xs);
      gGot.forEach((g, i) => assertClose(g, gWant[i], 1e-5, `${name} grad #${i} [${shape}]`));
    }
  }
});

Deno.test({ name: "fusedLayerNorm second derivative on blas equals finite differences", ignore }, async () => {
  const xs = new Float32Array([0.3, -1.2, 2.0, 0.7]);
  const f = (t: tf.Tensor) =>
    tf.sum(
      tf.square(tf.grad((a: tf.Tensor) => tf.sum(tf.mul(fusedLayerNorm(a, { eps: 0.1 }), tf.tensor([1, 2, 3, 4]))))(t)),
    );
  const [got] = await runOn("blas", (t) => tf.grad(f)(t), [{ values: xs, shape: [4] }]);
  const h = 1e-2;
  for (let i = 0; i < 4; i++) {
    const at = async (s: number) => {
      const v = Float32Array.from(xs);
      v[i] += s;
      return (await runOn("blas", f, [{ values: v, shape: [4] }]))[0][0];
    };
    const fd = ((await at(h)) - (await at(-h))) / (2 * h);
    assert.ok(Math.abs(got[i] - fd) < 2e-3 * (1 + Math.abs(fd)), `d/dx[${i}]: ${got[i]} vs ${fd}`);
  }
});
