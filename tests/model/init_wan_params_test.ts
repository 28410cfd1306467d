import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { initWanParams, MODEL_PRESETS, wanForward, wanParamShapes } from "../../lib/model/mod.ts";
import { Prng } from "../../lib/random/mod.ts";

await initEngine({ backend: "cpu" });

const cfg = MODEL_PRESETS["wan-smoke"];

function stats(v: ArrayLike<number>) {
  let s = 0, s2 = 0, max = 0;
  for (let i = 0; i < v.length; i++) {
    s += v[i];
    s2 += v[i] * v[i];
    max = Math.max(max, Math.abs(v[i]));
  }
  const mean = s / v.length;
  return { mean, std: Math.sqrt(s2 / v.length - mean * mean), max };
}

Deno.test("initWanParams() is deterministic for a seed and follows the official shapes", () => {
  const a = initWanParams(cfg, { prng: new Prng(11) });
  const b = initWanParams(cfg, { prng: new Prng(11) });
  assert.deepEqual(Object.keys(a), wanParamShapes(cfg).map(([n]) => n));
  for (const [name, shape] of wanParamShapes(cfg)) {
    assert.deepEqual(a[name].shape, shape, name);
    assert.deepEqual(a[name].dataSync(), b[name].dataSync(), name);
  }
  const c = initWanParams(cfg, { prng: new Prng(12) });
  assert.notDeepEqual(a["blocks.0.self_attn.q.weight"].dataSync(), c["blocks.0.self_attn.q.weight"].dataSync());
  tf.dispose([...Object.values(a), ...Object.values(b), ...Object.values(c)]);
});

Deno.test("initWanParams() follows WanModel.init_weights", () => {
  const big = { ...cfg, dim: 128, ffn_dim: 256, num_heads: 4, text_dim: 64, freq_dim: 64, num_layers: 1 };
  const p = initWanParams(big, { prng: new Prng(5) });
  const get = (n: string) => p[n].dataSync();
  // Xavier uniform: bound √(6/(fan_in+fan_out)), std bound/√3.
  const q = stats(get("blocks.0.self_attn.q.weight"));
  const bound = Math.sqrt(6 / 256);
  assert.ok(q.max <= bound && q.max > 0.98 * bound, `max ${q.max}`);
  assert.ok(Math.abs(q.std - bound / Math.sqrt(3)) < 0.01);
  const ffn = stats(get("blocks.0.ffn.0.weight"));
  assert.ok(ffn.max <= Math.sqrt(6 / 384));
  // Patch embedding: Xavier over [dim, in·1·2·2]; bias U(±1/√(in·4)).
  assert.ok(stats(get("patch_embedding.weight")).max <= Math.sqrt(6 / (128 + 16)));
  const pb = stats(get("patch_embedding.bias"));
  assert.ok(pb.max <= 1 / 4 && pb.max > 0.15);
  // Text/time embeddings N(0, 0.02).
  for (
    const n of [
      "text_embedding.0.weight",
      "text_embedding.2.weight",
      "time_embedding.0.weight",
      "time_embedding.2.weight",
    ]
  ) {
    assert.ok(Math.abs(stats(get(n)).std - 0.02) < 0.002, n);
  }
  // Modulations N(0, 1)/√dim; norms 1; biases and head.head.weight 0.
  assert.ok(Math.abs(stats(get("blocks.0.modulation")).std - 1 / Math.sqrt(128)) < 0.01);
  assert.ok(Math.abs(stats(get("head.modulation")).std - 1 / Math.sqrt(128)) < 0.02);
  assert.ok(get("blocks.0.self_attn.norm_q.weight").every((v) => v === 1));
  assert.ok(get("blocks.0.norm3.weight").every((v) => v === 1));
  for (
    const n of [
      "blocks.0.norm3.bias",
      "blocks.0.cross_attn.k.bias",
      "time_projection.1.bias",
      "head.head.weight",
      "head.head.bias",
    ]
  ) {
    assert.ok(get(n).every((v) => v === 0), n);
  }
  tf.dispose(Object.values(p));
});

Deno.test("a freshly initialised DiT predicts exactly zero (zero-initialised head)", () => {
  const params = initWanParams(cfg, { prng: new Prng(1) });
  const prng = new Prng(2);
  const x = tf.tensor(prng.normals(4 * 2 * 4 * 4), [1, 4, 2, 4, 4]);
  const context = tf.tensor(prng.normals(3 * 16), [1, 3, 16]);
  const out = wanForward({ cfg, params }, { x, t: [321], context });
  assert.ok(out.dataSync().every((v) => v === 0));
  tf.dispose([x, context, out, ...Object.values(params)]);
});
