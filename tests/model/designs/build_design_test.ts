import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import {
  buildDesign,
  countDesignParams,
  countParams,
  type DesignConfig,
  designParamShapes,
  wanParamShapes,
} from "../../../lib/model/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { CFG, disposeParams, foundation } from "./_fixtures.ts";

await initEngine({ backend: "cpu" });

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const concat: DesignConfig = { kind: "concat", shiftedRope: true, frameShift: false, poses: ["skeleton", "body"] };
const refNet: DesignConfig = { kind: "reference-net", poses: ["skeleton", "body"] };
const light: DesignConfig = { kind: "light-reference-net", poses: ["skeleton", "body"], blocks: 2, inject: [0, 2] };
const narrow: DesignConfig = { ...light, dim: 16 };

Deno.test("designParamShapes() adds the pose embedding, the zero projection and the reference embedding to the foundation", () => {
  const shapes = designParamShapes(CFG, concat);
  const added = shapes.slice(wanParamShapes(CFG).length);
  assert.deepEqual(added, [
    ["pose_patch_embedding.weight", [32, 8, 1, 2, 2]],
    ["pose_patch_embedding.bias", [32]],
    ["pose_proj.weight", [32, 32]],
    ["pose_proj.bias", [32]],
    ["ref_patch_embedding.weight", [32, 4, 1, 2, 2]],
    ["ref_patch_embedding.bias", [32]],
  ]);
  assert.deepEqual(shapes.slice(0, wanParamShapes(CFG).length), wanParamShapes(CFG));
});

Deno.test("the Reference Net adds exactly one copy of the DiT's blocks; the light one fewer blocks, in between", () => {
  const blocks = wanParamShapes(CFG).filter(([n]) => n.startsWith("blocks.")).reduce((a, [, s]) => a + size(s), 0);
  const perBlock = blocks / CFG.num_layers;
  const dit = countParams(CFG);
  const c = countDesignParams(CFG, concat).total;
  const r = countDesignParams(CFG, refNet).total;
  const l = countDesignParams(CFG, light).total;
  const n = countDesignParams(CFG, narrow).total;
  // Both add a pose branch and one reference patch embedding of the same size.
  assert.equal(r - c, blocks);
  assert.equal(l - c, 2 * perBlock);
  assert.ok(c > dit && c < l && l < r);
  assert.ok((r - dit) / blocks > 1 && (r - dit) / blocks < 1.1, "≈ 2× the DiT's blocks");
  assert.ok(n < l, "narrower reference blocks are smaller");
  // Narrow: blocks of width 16 (1 head, FFN 32) plus projections.
  const narrowShapes = new Map(designParamShapes(CFG, narrow));
  assert.deepEqual(narrowShapes.get("reference_net.blocks.1.ffn.0.weight"), [32, 16]);
  assert.deepEqual(narrowShapes.get("reference_net.proj.1.weight"), [32, 16]);
  assert.deepEqual(narrowShapes.get("reference_net.time_proj.weight"), [96, 32]);
  assert.deepEqual(narrowShapes.get("reference_net.text_proj.weight"), [16, 32]);
  assert.deepEqual(narrowShapes.get("reference_net.patch_embedding.weight"), [16, 4, 1, 2, 2]);
});

Deno.test("buildDesign() copies the foundation into the reference embedding and reference blocks and zeroes pose_proj", () => {
  const base = foundation();
  const r = buildDesign(base, refNet, { prng: new Prng(1) });
  assert.deepEqual(Object.keys(r.params), designParamShapes(CFG, refNet).map(([n]) => n));
  for (const [name, shape] of designParamShapes(CFG, refNet)) assert.deepEqual(r.params[name].shape, shape, name);
  const same = (a: string, b: string) =>
    assert.deepEqual(Array.from(r.params[a].dataSync()), Array.from(base.params[b].dataSync()), `${a} = ${b}`);
  same("reference_net.patch_embedding.weight", "patch_embedding.weight");
  same("reference_net.patch_embedding.bias", "patch_embedding.bias");
  same("reference_net.blocks.2.self_attn.q.weight", "blocks.2.self_attn.q.weight");
  same("reference_net.blocks.0.modulation", "blocks.0.modulation");
  same("blocks.1.ffn.0.weight", "blocks.1.ffn.0.weight");
  assert.ok(r.params["pose_proj.weight"].dataSync().every((v) => v === 0));
  assert.ok(r.params["pose_proj.bias"].dataSync().every((v) => v === 0));
  assert.ok(r.params["pose_patch_embedding.weight"].dataSync().some((v) => v !== 0));
  // Cloned: training the design leaves the foundation untouched.
  assert.notEqual(r.params["blocks.0.modulation"], base.params["blocks.0.modulation"]);
  r.params["blocks.0.modulation"].assign(tf.zeros([1, 6, 32]));
  assert.ok(base.params["blocks.0.modulation"].dataSync().some((v) => v !== 0));
  disposeParams(r.params);
  const c = buildDesign(base, concat, { prng: new Prng(1) });
  assert.deepEqual(
    Array.from(c.params["ref_patch_embedding.weight"].dataSync()),
    Array.from(base.params["patch_embedding.weight"].dataSync()),
  );
  disposeParams(c.params);
  disposeParams(base.params);
});

Deno.test("buildDesign() with copyFoundation: false draws fresh, seeded reference layers", () => {
  const base = foundation();
  const a = buildDesign(base, light, { prng: new Prng(4), copyFoundation: false });
  const b = buildDesign(base, light, { prng: new Prng(4), copyFoundation: false });
  for (const name of Object.keys(a.params)) {
    assert.deepEqual(Array.from(a.params[name].dataSync()), Array.from(b.params[name].dataSync()), name);
  }
  const w = a.params["reference_net.blocks.1.self_attn.q.weight"].dataSync();
  const f = base.params["blocks.1.self_attn.q.weight"].dataSync();
  assert.ok(w.some((v, i) => v !== f[i]));
  const bound = Math.sqrt(6 / (32 + 32)); // Xavier-uniform
  assert.ok(w.every((v) => Math.abs(v) <= bound));
  assert.ok(a.params["reference_net.blocks.1.norm3.weight"].dataSync().every((v) => v === 1));
  disposeParams(a.params);
  disposeParams(b.params);
  disposeParams(base.params);
});

Deno.test("buildDesign() shares the foundation's variables on request and leaks nothing", () => {
  const base = foundation();
  const before = tf.memory();
  const shared = buildDesign(base, narrow, { prng: new Prng(1), shareFoundation: true });
  assert.equal(shared.params["head.head.weight"], base.params["head.head.weight"]);
  const added = designParamShapes(CFG, narrow).slice(wanParamShapes(CFG).length).reduce((a, [, s]) => a + size(s), 0);
  assert.equal(tf.memory().numBytes - before.numBytes, 4 * added);
  for (const [name, v] of Object.entries(shared.params)) if (!(name in base.params)) v.dispose();
  assert.equal(tf.memory().numTensors, before.numTensors);
  assert.equal(tf.memory().numBytes, before.numBytes);
  disposeParams(base.params);
});

Deno.test("buildDesign() refuses to copy a patch embedding into a reference embedding of other latent channels", () => {
  const base = foundation();
  assert.throws(
    () => buildDesign(base, concat, { prng: new Prng(1), latentChannels: 16 }),
    /latentChannels must equal in_dim = 4: received 16 \(use copyFoundation: false\)/,
  );
  const before = tf.memory().numTensors;
  const m = buildDesign(base, concat, { prng: new Prng(1), latentChannels: 16, copyFoundation: false });
  assert.deepEqual(m.params["pose_patch_embedding.weight"].shape, [32, 32, 1, 2, 2]);
  assert.deepEqual(m.params["ref_patch_embedding.weight"].shape, [32, 16, 1, 2, 2]);
  disposeParams(m.params);
  assert.equal(tf.memory().numTensors, before);
  disposeParams(base.params);
});
