import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { readSafetensors } from "../../lib/io/safetensors.ts";
import { buildDesign, type DesignConfig, designModelFn, type LoraConfig } from "../../lib/model/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { loadDesignCheckpoint, saveDesignCheckpoint } from "../../lib/workbench/_design_checkpoint.ts";
import { disposeParams, foundation, maxAbsDiff, normal } from "../model/designs/_fixtures.ts";

await initEngine({ backend: "cpu" });

const DESIGN: DesignConfig = { kind: "concat", shiftedRope: true, frameShift: false, poses: ["skeleton"] };
const LORA: LoraConfig = { rank: 2, alpha: 4, targets: ["self_attn.q", "self_attn.v", "ffn.2"] };

Deno.test("a LoRA checkpoint is saved merged (loads like any fine-tuned design) and as adapters alone that rebuild it", async () => {
  const dir = await Deno.makeTempDir();
  const base = foundation();
  const model = buildDesign(base, DESIGN, { prng: new Prng(1), scope: { lora: LORA } });
  const prng = new Prng(9);
  for (const [n, p] of Object.entries(model.params)) {
    if (n.endsWith(".lora_B.weight") || n.startsWith("pose_proj.")) {
      (p as tf.Variable).assign(tf.tidy(() => tf.mul(normal(prng, p.shape), 0.05))); // "trained"
    }
  }
  await saveDesignCheckpoint(dir, { design: DESIGN, scope: { lora: LORA }, cfg: model.cfg, params: model.params, lora: model.lora });

  const x = normal(prng, [1, 4, 2, 4, 4]), t = tf.tensor1d([400]), context = normal(prng, [1, 3, 16]);
  const cond = { context, reference: normal(prng, [1, 4, 1, 4, 4]), pose: normal(prng, [1, 4, 2, 4, 4]) };
  const unmerged = designModelFn(DESIGN, model)(x, t, cond);

  const ck = await loadDesignCheckpoint(dir);
  assert.equal(ck.lora, undefined);
  assert.ok(!Object.keys(ck.params).some((n) => n.includes(".lora_")), "design.safetensors holds no adapter");
  assert.deepEqual(Object.keys(ck.params).sort(), Object.keys(buildDesign(base, DESIGN, { prng: new Prng(1) }).params).sort());
  const merged = designModelFn(ck.design, ck)(x, t, cond);
  assert.ok(maxAbsDiff(unmerged, merged) <= 1e-5, `merged vs unmerged max |Δ| ${maxAbsDiff(unmerged, merged)}`);

  const file = await readSafetensors(`${dir}/lora.safetensors`);
  assert.deepEqual(JSON.parse(file.metadata.lora), LORA);
  assert.deepEqual(JSON.parse(file.metadata.design), DESIGN);
  const names = Object.keys(file.tensors);
  assert.ok(names.every((n) => n.includes(".lora_") || /^(pose_patch_embedding|pose_proj|ref_patch_embedding)\./.test(n)), names.join());
  assert.equal(names.filter((n) => n.includes(".lora_")).length, 3 * 3 * 2); // 3 blocks × 3 targets × (A, B)
  // The foundation plus the adapter file is the unmerged model again.
  const rebuilt: Record<string, tf.Tensor> = { ...base.params };
  for (const [n, v] of Object.entries(file.tensors)) rebuilt[n] = tf.tensor(v.data, v.shape);
  const again = designModelFn(DESIGN, { cfg: model.cfg, params: rebuilt, lora: JSON.parse(file.metadata.lora) })(x, t, cond);
  assert.equal(maxAbsDiff(unmerged, again), 0);

  tf.dispose([x, t, context, ...Object.values(cond), unmerged, merged, again, ...Object.values(ck.params)]);
  tf.dispose(Object.keys(file.tensors).map((n) => rebuilt[n]));
  disposeParams(model.params);
  disposeParams(base.params);
  await Deno.remove(dir, { recursive: true });
});
