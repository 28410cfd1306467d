import assert from "node:assert/strict";
import {
  countDesignParams,
  type DesignConfig,
  designParamShapes,
  MODEL_PRESETS,
  resolveTrainable,
} from "../../../lib/model/mod.ts";

const cfg = MODEL_PRESETS["wan-smoke"]; // 2 blocks
const concat: DesignConfig = { kind: "concat", shiftedRope: true, frameShift: false, poses: ["skeleton", "hands"] };
const refNet: DesignConfig = { kind: "reference-net", poses: ["skeleton", "hands"] };
const names = (design: DesignConfig) => designParamShapes(cfg, design).map(([n]) => n);

const SELF_ATTN = [
  "q.weight",
  "q.bias",
  "k.weight",
  "k.bias",
  "v.weight",
  "v.bias",
  "o.weight",
  "o.bias",
  "norm_q.weight",
  "norm_k.weight",
];

Deno.test("resolveTrainable() 'part' is the new condition layers and every block's self-attention (2-layer model)", () => {
  assert.deepEqual(resolveTrainable(concat, names(concat), "part"), [
    ...SELF_ATTN.map((s) => `blocks.0.self_attn.${s}`),
    ...SELF_ATTN.map((s) => `blocks.1.self_attn.${s}`),
    "pose_patch_embedding.weight",
    "pose_patch_embedding.bias",
    "pose_proj.weight",
    "pose_proj.bias",
    "ref_patch_embedding.weight",
    "ref_patch_embedding.bias",
  ]);
});

Deno.test("resolveTrainable() 'full' is every parameter of the concat design", () => {
  const all = names(concat);
  assert.equal(all.length, 69 + 6); // Wan: 12 embedding + 2 × 27 block + 3 head tensors
  assert.deepEqual(resolveTrainable(concat, all, "full"), all);
});

Deno.test("resolveTrainable() trains the reference net and the denoising network except the reference net's unused last block", () => {
  const all = names(refNet);
  const unused = [
    ...SELF_ATTN.map((s) => `self_attn.${s}`),
    "norm3.weight",
    "norm3.bias",
    ...SELF_ATTN.map((s) => `cross_attn.${s}`),
    "ffn.0.weight",
    "ffn.0.bias",
    "ffn.2.weight",
    "ffn.2.bias",
  ].map((s) => `reference_net.blocks.1.${s}`);
  assert.ok(unused.every((n) => all.includes(n)));
  const trainable = resolveTrainable(refNet, all, "full");
  assert.deepEqual(trainable, all.filter((n) => !unused.includes(n)));
  assert.ok(trainable.includes("reference_net.blocks.1.modulation"), "its modulation shapes the injected hidden state");
  assert.ok(trainable.includes("reference_net.blocks.0.ffn.2.weight"));
  // 'part' for a reference net: all of the (used) reference net, the pose branch, the denoising self-attention.
  const part = resolveTrainable(refNet, all, "part");
  assert.deepEqual(part.filter((n) => n.startsWith("blocks.")), [
    ...SELF_ATTN.map((s) => `blocks.0.self_attn.${s}`),
    ...SELF_ATTN.map((s) => `blocks.1.self_attn.${s}`),
  ]);
  assert.deepEqual(
    part.filter((n) => !n.startsWith("blocks.")),
    trainable.filter((n) => /^(reference_net|pose_)/.test(n)),
  );
});

Deno.test("resolveTrainable() takes exact names, globs and regular expressions, each of which must match", () => {
  const all = names(concat);
  assert.deepEqual(resolveTrainable(concat, all, { trainable: ["pose_proj.weight", "blocks.*.norm3.*"] }), [
    "blocks.0.norm3.weight",
    "blocks.0.norm3.bias",
    "blocks.1.norm3.weight",
    "blocks.1.norm3.bias",
    "pose_proj.weight",
  ]);
  assert.deepEqual(
    resolveTrainable(concat, all, { trainable: ["blocks.1.**.bias"] }).length,
    all.filter((n) => n.startsWith("blocks.1.") && n.endsWith(".bias")).length,
  );
  // `*` stays inside a segment: "blocks.*.bias" matches nothing.
  assert.throws(
    () => resolveTrainable(concat, all, { trainable: ["blocks.*.bias"] }),
    /trainable pattern "blocks.\*.bias" as it matches no used parameter/,
  );
  assert.deepEqual(resolveTrainable(concat, all, { trainable: ["/^head\\./g"] }), [
    "head.modulation",
    "head.head.weight",
    "head.head.bias",
  ]);
  assert.throws(() => resolveTrainable(concat, all, { trainable: ["/(/"] }), /as a regular expression/);
  assert.throws(
    () => resolveTrainable(concat, all, "some" as "part"),
    /must be "full", "part", \{ lora \} or \{ trainable: string\[\] \}: received "some"/,
  );
  assert.throws(() => resolveTrainable(concat, all, { trainable: [] }), /nothing trains/);
});

Deno.test("countDesignParams() counts trainable values of a scope", () => {
  const full = countDesignParams(cfg, concat);
  assert.equal(full.total, full.trainable);
  const part = countDesignParams(cfg, concat, { scope: "part" });
  // 2 blocks × (4 Linear 32×32+32, 2 norms of 32) + pose (8·4·32+32, 32·32+32) + reference (4·4·32+32)
  assert.equal(
    part.trainable,
    2 * (4 * (32 * 32 + 32) + 2 * 32) + (8 * 4 * 32 + 32) + (32 * 32 + 32) + (4 * 4 * 32 + 32),
  );
  assert.equal(part.total, full.total);
});
