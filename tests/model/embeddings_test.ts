import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import {
  patchEmbed,
  sinusoidalEmbedding,
  textEmbedding,
  timeEmbedding,
  unpatchify,
  wanHead,
} from "../../lib/model/mod.ts";

await initEngine({ backend: "cpu" });

const close = (a: ArrayLike<number>, b: number[], tol = 1e-6) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `[${i}] ${a[i]} vs ${b[i]}`);
};

Deno.test("sinusoidalEmbedding() is [cos(t·10000^(−i/half)), sin(…)], cos first", () => {
  // dim 4: half 2, frequencies 1 and 10000^(−1/2) = 0.01.
  const e = sinusoidalEmbedding([1, 250], 4);
  close(e.dataSync(), [
    Math.cos(1),
    Math.cos(0.01),
    Math.sin(1),
    Math.sin(0.01),
    Math.cos(250),
    Math.cos(2.5),
    Math.sin(250),
    Math.sin(2.5),
  ]);
  assert.throws(() => sinusoidalEmbedding([1], 5), /dim must be a positive even integer: received 5/);
  e.dispose();
});

Deno.test("sinusoidalEmbedding() of a [B] tensor is within 2e-7 of Wan's float64 sinusoid for t in 0..1000", async () => {
  // A float32 angle t·f would be off by up to 6e-5 here (t ≈ 1000, f = 1); the split product and the
  // reduction to [−π, π] keep it to one or two float32 ulps.
  const dim = 256, half = 128;
  const ts = Float32Array.from({ length: 2001 }, (_, i) => i * 0.5 + (i % 7) * 0.0371);
  const t = tf.tensor1d(ts);
  const e = sinusoidalEmbedding(t, dim);
  assert.deepEqual(e.shape, [ts.length, dim]);
  const v = await e.data();
  let worst = 0;
  for (let b = 0; b < ts.length; b++) {
    for (let i = 0; i < half; i++) {
      const angle = ts[b] * Math.pow(10000, -i / half); // float64, as sinusoidal_embedding_1d
      worst = Math.max(
        worst,
        Math.abs(v[b * dim + i] - Math.cos(angle)),
        Math.abs(v[b * dim + half + i] - Math.sin(angle)),
      );
    }
  }
  assert.ok(worst <= 2e-7, `worst difference ${worst}`);
  // Numbers give the same values as the tensor.
  const fromNumbers = sinusoidalEmbedding(Array.from(ts.subarray(0, 5)), dim);
  assert.deepEqual(Array.from(await fromNumbers.data()), Array.from(v.subarray(0, 5 * dim)));
  assert.throws(() => sinusoidalEmbedding(tf.zeros([2, 1]), 4), /timesteps must have shape \[B\]: received \[2,1\]/);
  assert.throws(() => sinusoidalEmbedding([NaN], 4), /timesteps must be finite: received NaN at 0/);
  tf.dispose([t, e, fromNumbers]);
});

Deno.test("patchEmbed() is the Conv3d (1,2,2) over patches flattened in (c, pt, ph, pw) order", () => {
  // C = 2, dim = 1: weight[0, c, 0, i, j] = 10·c + 2·i + j + 1, bias 0.5.
  const params = {
    "patch_embedding.weight": tf.tensor5d([1, 2, 3, 4, 11, 12, 13, 14], [1, 2, 1, 2, 2]),
    "patch_embedding.bias": tf.tensor1d([0.5]),
  };
  // x [1, 2, 2, 2, 4]: two frames, one patch row, two patch columns.
  const x = tf.tensor5d(Array.from({ length: 32 }, (_, i) => i), [1, 2, 2, 2, 4]);
  const { tokens, grid } = patchEmbed(params, x);
  assert.deepEqual(grid, [2, 1, 2]);
  const xv = x.dataSync();
  const at = (c: number, f: number, h: number, w: number) => xv[((c * 2 + f) * 2 + h) * 4 + w];
  const expected: number[] = [];
  for (let f = 0; f < 2; f++) {
    for (let pw = 0; pw < 2; pw++) {
      let s = 0.5;
      for (let c = 0; c < 2; c++) {
        for (let i = 0; i < 2; i++) {
          for (let j = 0; j < 2; j++) s += (10 * c + 2 * i + j + 1) * at(c, f, i, 2 * pw + j);
        }
      }
      expected.push(s);
    }
  }
  close(tokens.dataSync(), expected, 1e-4);
  assert.throws(
    () => patchEmbed(params, tf.zeros([1, 2, 1, 3, 4])),
    /divisible by the patch size \(1, 2, 2\): received \(1, 3, 4\)/,
  );
  tf.dispose([x, tokens, ...Object.values(params)]);
});

Deno.test("unpatchify() places token (f,h,w) value (p,q,r,c) at [c, f·pt+p, h·ph+q, w·pw+r]", () => {
  const grid = [2, 1, 3] as const, patch = [1, 2, 2] as const, c = 3;
  const per = 4 * c;
  const x = tf.tensor3d(Array.from({ length: 6 * per }, (_, i) => i), [1, 6, per]);
  const y = unpatchify(x, { grid, patchSize: patch, outDim: c });
  assert.deepEqual(y.shape, [1, 3, 2, 2, 6]);
  const yv = y.dataSync();
  for (let f = 0; f < 2; f++) {
    for (let w = 0; w < 3; w++) {
      for (let q = 0; q < 2; q++) {
        for (let r = 0; r < 2; r++) {
          for (let ch = 0; ch < c; ch++) {
            const token = f * 3 + w;
            const value = token * per + ((q * 2 + r) * c + ch);
            assert.equal(yv[((ch * 2 + f) * 2 + q) * 6 + w * 2 + r], value);
          }
        }
      }
    }
  }
  tf.dispose([x, y]);
});

Deno.test("textEmbedding() zero-pads the context to text_len before the MLP", () => {
  const params = {
    "text_embedding.0.weight": tf.tensor2d([1, -1, 0.5, 2], [2, 2]),
    "text_embedding.0.bias": tf.tensor1d([0.1, -0.2]),
    "text_embedding.2.weight": tf.tensor2d([1, 0, 0, 1], [2, 2]),
    "text_embedding.2.bias": tf.tensor1d([0, 1]),
  };
  const gelu = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  const out = textEmbedding(params, tf.tensor3d([[[1, 2]]]), { textLen: 3 });
  assert.deepEqual(out.shape, [1, 3, 2]);
  // Row 0: h = W0·[1, 2] + b0 = [1 − 2 + 0.1, 0.5 + 4 − 0.2]; padded rows: h = b0.
  const row0 = [gelu(-0.9), gelu(4.3) + 1];
  const pad = [gelu(0.1), gelu(-0.2) + 1];
  close(out.dataSync(), [...row0, ...pad, ...pad], 1e-6);
  assert.throws(
    () => textEmbedding(params, tf.zeros([1, 4, 2]), { textLen: 3 }),
    /at most text_len = 3 rows: received 4/,
  );
  tf.dispose([out, ...Object.values(params)]);
});

Deno.test("timeEmbedding() gives e = L2(SiLU(L0(sinusoid))) and e0 = L(SiLU(e)) as 6 vectors", () => {
  const dim = 2;
  const params = {
    "time_embedding.0.weight": tf.tensor2d([1, 0, 0, 0, 0, 1, 0, 0], [2, 4]),
    "time_embedding.0.bias": tf.zeros([2]),
    "time_embedding.2.weight": tf.eye(2),
    "time_embedding.2.bias": tf.tensor1d([0, 0.5]),
    "time_projection.1.weight": tf.tensor2d(Array.from({ length: 12 * 2 }, (_, i) => (i % 2 === 0 ? 1 : 0)), [12, 2]),
    "time_projection.1.bias": tf.zeros([12]),
  };
  const silu = (v: number) => v / (1 + Math.exp(-v));
  const { e, e0 } = timeEmbedding(params, tf.tensor1d([3]), { freqDim: 4 });
  const eHand = [silu(Math.cos(3)), silu(Math.cos(0.03)) + 0.5];
  close(e.dataSync(), eHand);
  assert.deepEqual(e0.shape, [1, 6, dim]);
  close(e0.dataSync(), Array(12).fill(silu(eHand[0])));
  tf.dispose([e, e0, ...Object.values(params)]);
});

Deno.test("wanHead() modulates with head.modulation + e (shift first, then scale)", () => {
  const params = {
    "head.modulation": tf.tensor3d([[[0.5, -0.5], [1, 2]]]),
    "head.head.weight": tf.eye(2),
    "head.head.bias": tf.zeros([2]),
  };
  const y = wanHead(params, tf.tensor3d([[[3, 1]]]), { e: tf.tensor2d([[0, 1]]), eps: 0 });
  // LayerNorm([3, 1]) = [1, −1]; shift = [0.5, 0.5], scale = [1, 3] → [1·2 + 0.5, −1·4 + 0.5].
  close(y.dataSync(), [2.5, -3.5], 1e-6);
  tf.dispose([y, ...Object.values(params)]);
});
