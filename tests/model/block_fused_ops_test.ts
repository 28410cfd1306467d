/**
 * The engine's fused ops that lib/model's blocks use (modulatedNorm,
 * gatedResidual, rotatePairs, simdGeluTanh, simdAttention): hand-computed
 * values on the composed path, the SIMD exponential against Math.exp, and
 * the blas kernels (forward and every gradient) against the composed ops on
 * cpu for each operand layout the kernels take, plus the layouts they leave
 * to the composed ops.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { gatedResidual } from "../../lib/engine/gated_residual.ts";
import { modulatedNorm } from "../../lib/engine/modulated_norm.ts";
import { rotatePairs } from "../../lib/engine/rotate_pairs.ts";
import { simdAttention } from "../../lib/engine/simd_attention.ts";
import { simdGeluTanh } from "../../lib/engine/simd_gelu_tanh.ts";
import { expRowsSimd, simdAvailable } from "../../lib/engine/_wasm_simd.ts";
import { Prng } from "../../lib/random/mod.ts";
import { BLAS_SKIP } from "../engine/_compare.ts";

if (BLAS_SKIP) console.warn(`blas op tests skipped: ${BLAS_SKIP}`);
await initEngine({ backend: "cpu" });
const ignore = BLAS_SKIP != null;

type Inputs = { values: Float32Array; shape: number[] }[];
type Fn = (...xs: tf.Tensor[]) => tf.Tensor;

function inputs(prng: Prng, shapes: number[][], scale = 1): Inputs {
  return shapes.map((shape) => {
    const values = prng.normals(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] *= scale;
    return { values, shape };
  });
}

/** Output, then gradients of Σ fn(xs)·w (w seeded) with respect to every input, on `backend`; plus the kernels run. */
async function evaluate(backend: string, fn: Fn, xs: Inputs): Promise<{ values: Float32Array[]; kernels: string[] }> {
  await tf.setBackend(backend);
  try {
    const kernels: string[] = [];
    const info = await tf.profile(() =>
      tf.tidy(() => {
        const ts = xs.map((x) => tf.tensor(x.values, x.shape));
        const y = fn(...ts);
        const w = tf.tensor(new Prng(3).normals(y.size), y.shape);
        const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(fn(...a), w)))(ts);
        return [y, ...grads].map((t) => Float32Array.from(t.dataSync() as Float32Array));
      })
    );
    for (const k of info.kernels) kernels.push(k.name);
    return { values: info.result as unknown as Float32Array[], kernels };
  } finally {
    await tf.setBackend("cpu");
  }
}

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string, tol = 1e-5) {
  assert.equal(got.length, want.length, `${what}: length`);
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    assert.ok(
      Math.abs(got[i] - want[i]) <= tol * (Math.abs(want[i]) + scale),
      `${what}[${i}]: ${got[i]} vs ${want[i]}`,
    );
  }
}

/**
 * Asserts blas equals cpu on the output and every gradient, with `kernel`
 * among the kernels run (or, given `{ absent }`, none whose name starts so).
 */
async function sameAsCpu(fn: Fn, xs: Inputs, what: string, kernel: string | { absent: string[] }, tol = 1e-5) {
  const want = await evaluate("cpu", fn, xs);
  const got = await evaluate("blas", fn, xs);
  const ran = [...new Set(got.kernels)];
  if (typeof kernel === "string") assert.ok(ran.includes(kernel), `${what}: ${kernel} not run (${ran})`);
  else assert.ok(!ran.some((k) => kernel.absent.some((a) => k.startsWith(a))), `${what}: ran ${ran}`);
  assert.equal(got.values.length, xs.length + 1);
  got.values.forEach((g, i) =>
    assertClose(g, want.values[i], `${what} ${i === 0 ? "output" : `gradient ${i - 1}`}`, tol)
  );
}

const NOT_FUSED = { absent: ["BlasModulated", "BlasGated"] };

Deno.test("modulatedNorm() computes LayerNorm and RMSNorm with a per-batch scale and shift (hand values)", () => {
  // Row (1, 3): mean 2, variance 1 → (−1, 1); rms √5 → (1, 3)/√5.
  const x = tf.tensor([[[1, 3]], [[1, 3]]]);
  const scale = tf.tensor([[[2, 2]], [[1, 0]]]), shift = tf.tensor([[[0, 1]], [[5, 5]]]);
  assert.deepEqual(modulatedNorm(x, { eps: 0, scale, shift }).arraySync(), [[[-2, 3]], [[4, 5]]]);
  const rms = modulatedNorm(x, { kind: "rms", eps: 0, scale: tf.tensor([1, 2]) }).dataSync();
  [1 / Math.sqrt(5), 6 / Math.sqrt(5)].forEach((v, i) => assert.ok(Math.abs(rms[i] - v) < 1e-6));
  assert.throws(() => modulatedNorm(x, { eps: -1, scale }), /eps must be >= 0: received -1/);
});

Deno.test("gatedResidual() and rotatePairs() compute x + y·gate and the pair rotation (hand values)", () => {
  const out = gatedResidual(tf.tensor([[[1, 1]], [[0, 0]]]), tf.tensor([[[2, 3]], [[2, 3]]]), {
    gate: tf.tensor([[[0.5, -1]], [[1, 2]]]),
  });
  assert.deepEqual(out.arraySync(), [[[2, -2]], [[2, 6]]]);
  // (3, 4) turned by 90° → (−4, 3); by 180° → (−3, −4).
  const rot = rotatePairs(tf.tensor([[3, 4], [3, 4]]), {
    cos: tf.tensor([[0, 0], [-1, -1]]),
    sin: tf.tensor([[-1, 1], [0, 0]]),
  });
  assert.deepEqual(rot.arraySync(), [[-4, 3], [-3, -4]]);
  assert.throws(() => rotatePairs(tf.ones([2, 3]), { cos: tf.ones([3]), sin: tf.ones([3]) }), /must be even/);
  assert.throws(() => gatedResidual(tf.ones([2, 3]), tf.ones([3, 2]), { gate: tf.ones([2]) }), /one shape/);
});

Deno.test({
  name:
    "modulatedNorm on blas equals the composed ops on cpu for [C], [1,1,C] and [B,1,C] operands, with and without shift",
  ignore,
  fn: async () => {
    const prng = new Prng(11);
    // C = 24 takes the SIMD row loops, C = 6 the scalar ones.
    for (const kind of ["layer", "rms"] as const) {
      for (const s of [[24], [1, 1, 24], [3, 1, 24], [6], [3, 1, 6]]) {
        const xs = inputs(prng, [[3, 5, s.at(-1)!], s, s]);
        xs[0].values.forEach((v, i) => (xs[0].values[i] = v * 3 + 1)); // off-centre rows
        await sameAsCpu(
          (x, a, b) => modulatedNorm(x, { kind, eps: 1e-6, scale: a, shift: b }),
          xs,
          `${kind} [${s}]`,
          "BlasModulatedNormGrad",
        );
        await sameAsCpu(
          (x, a) => modulatedNorm(x, { kind, eps: 1e-6, scale: a }),
          xs.slice(0, 2),
          `${kind} [${s}] no shift`,
          "BlasModulatedNormGrad",
        );
      }
    }
    // Groups longer than the SIMD loops' chunk of rows (2048 rows of 8): chunked, with ds/dt summed across chunks.
    await sameAsCpu(
      (x, a, b) => modulatedNorm(x, { eps: 1e-6, scale: a, shift: b }),
      inputs(prng, [[2, 2500, 8], [2, 1, 8], [2, 1, 8]]),
      "layer [2,1,8] over 2500 rows",
      "BlasModulatedNormGrad",
      1e-4,
    );
    // A scale varying along the middle axis is not a per-row operand: composed ops.
    await sameAsCpu(
      (x, a) => modulatedNorm(x, { scale: a }),
      inputs(prng, [[2, 5, 8], [1, 5, 8]]),
      "layer [1,5,8]",
      NOT_FUSED,
    );
  },
});

Deno.test({
  name: "gatedResidual and rotatePairs on blas equal the composed ops on cpu, gradients included",
  ignore,
  fn: async () => {
    const prng = new Prng(12);
    for (const g of [[16], [4, 1, 16], [1, 1, 16]]) {
      await sameAsCpu(
        (x, y, gate) => gatedResidual(x, y, { gate }),
        inputs(prng, [[4, 7, 16], [4, 7, 16], g]),
        `gated [${g}]`,
        "BlasGatedResidualGrad",
      );
    }
    await sameAsCpu(
      (x, y, gate) => gatedResidual(x, y, { gate }),
      inputs(prng, [[4, 7, 16], [4, 7, 16], [4, 7, 1]]),
      "gated [4,7,1]",
      NOT_FUSED,
    );
    // Tables the shape of x, and tables repeated over the batch.
    for (const t of [[2, 5, 3, 8], [1, 5, 3, 8], [5, 3, 8]]) {
      const [cos, sin] = inputs(prng, [t, t]);
      const c = tf.tensor(cos.values, t), s = tf.tensor(sin.values, t);
      const kernel = "BlasRotatePairsGrad";
      await sameAsCpu((x) => rotatePairs(x, { cos: c, sin: s }), inputs(prng, [[2, 5, 3, 8]]), `rope [${t}]`, kernel);
      tf.dispose([c, s]);
    }
  },
});

Deno.test({
  name: "the SIMD exponential of softmax rows matches Math.exp (max subtracted, row sums, −∞ rows give NaN)",
  fn: () => {
    assert.ok(simdAvailable(), "the WebAssembly SIMD module must compile under Deno's V8");
    const prng = new Prng(13);
    const m = 5, n = 12;
    const s = Float32Array.from(prng.normals(m * n), (v) => v * 40);
    s[3] = 200; // one large logit
    s.fill(-Infinity, 4 * n, 5 * n); // a row of −∞
    const got = s.slice(), sums = new Float32Array(m + 2);
    assert.ok(expRowsSimd(got, 0, m, n, sums, 1));
    assert.equal(expRowsSimd(got, 0, 1, 6, sums, 0), false, "a row length not a multiple of 4 is declined");
    for (let r = 0; r < 4; r++) {
      const row = Array.from(s.subarray(r * n, (r + 1) * n));
      const max = Math.max(...row);
      const want = row.map((v) => Math.exp(v - max));
      want.forEach((w, j) => {
        const g = got[r * n + j];
        // x − max is rounded to float32 first: tiny numerators carry a larger relative error, none that matters next to 1.
        assert.ok(Math.abs(g - w) <= 2e-7 * w + 1e-9, `row ${r}[${j}]: ${g} vs ${w}`);
      });
      const total = want.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sums[1 + r] - total) <= 1e-6 * total, `sum ${r}`);
    }
    assert.ok(Number.isNaN(got[4 * n]) && Number.isNaN(sums[5]));
    assert.equal(sums[0], 0, "nothing written outside the given rows");
  },
});

Deno.test({
  name: "simdGeluTanh and simdAttention on blas equal the composed ops on cpu, gradients included",
  ignore,
  fn: async () => {
    const prng = new Prng(14);
    // Lengths that are and are not multiples of 4; wide range (saturated tails, zero).
    // The last shape spans three of the SIMD loops' chunks (16384 floats), the last one partial.
    for (const shape of [[4, 33], [2, 3, 16], [40001]]) {
      const xs = inputs(prng, [shape], 6);
      xs[0].values[0] = 0;
      xs[0].values[1] = -30;
      xs[0].values[2] = 30;
      await sameAsCpu((x) => simdGeluTanh(x), xs, `gelu [${shape}]`, "BlasSimdGeluTanhGrad");
    }
    // Self-attention (Lk = Lq = 12) and cross-attention (Lk = 8) take the SIMD kernel; Lk = 6 the scalar one.
    for (const lk of [12, 8]) {
      await sameAsCpu(
        (q, k, v) => simdAttention(q, { k, v }),
        inputs(prng, [[2, 12, 3, 8], [2, lk, 3, 8], [2, lk, 3, 8]]),
        `attention Lk=${lk}`,
        "BlasSimdAttentionGrad",
      );
      await sameAsCpu(
        (q, k, v) => simdAttention(q, { k, v }, { recompute: true, scale: 0.5 }),
        inputs(prng, [[2, 12, 3, 8], [2, lk, 3, 8], [2, lk, 3, 8]], 2),
        `attention Lk=${lk}, recomputed`,
        "BlasSimdAttentionGrad",
      );
    }
    await sameAsCpu(
      (q, k, v) => simdAttention(q, { k, v }),
      inputs(prng, [[2, 5, 3, 8], [2, 6, 3, 8], [2, 6, 3, 8]]),
      "attention Lk=6",
      "BlasSimdAttention",
    );
    assert.throws(
      () => simdAttention(tf.ones([1, 2, 3]), { k: tf.ones([1, 2, 3]), v: tf.ones([1, 2, 3]) }),
      /\[B, L, H, d\]/,
    );
  },
});
