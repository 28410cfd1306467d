/**
 * The engine's fused ops that lib/model's blocks use (modulatedNorm,
 * gatedResidual, rotatePairs): hand-computed values on the composed path, and
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
import { Prng } from "../../lib/random/mod.ts";

async function tryBlas(): Promise<string | null> {
  try {
    await initEngine({ backend: "blas" });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
const BLAS_SKIP = await tryBlas();
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

/** Asserts blas (with `kernel` among the kernels run) equals cpu on the output and every gradient. */
async function sameAsCpu(fn: Fn, xs: Inputs, what: string, kernel: string | null) {
  const want = await evaluate("cpu", fn, xs);
  const got = await evaluate("blas", fn, xs);
  if (kernel) assert.ok(got.kernels.includes(kernel), `${what}: ${kernel} not run (${[...new Set(got.kernels)]})`);
  else assert.ok(!got.kernels.some((k) => k.startsWith("BlasModulated") || k.startsWith("BlasGated")), what);
  assert.equal(got.values.length, xs.length + 1);
  got.values.forEach((g, i) => assertClose(g, want.values[i], `${what} ${i === 0 ? "output" : `gradient ${i - 1}`}`));
}

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
    for (const kind of ["layer", "rms"] as const) {
      for (const s of [[24], [1, 1, 24], [3, 1, 24]]) {
        const xs = inputs(prng, [[3, 5, 24], s, s]);
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
    // A scale varying along the middle axis is not a per-row operand: composed ops.
    await sameAsCpu(
      (x, a) => modulatedNorm(x, { scale: a }),
      inputs(prng, [[2, 5, 8], [1, 5, 8]]),
      "layer [1,5,8]",
      null,
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
      null,
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
