import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { readSafetensors, writeSafetensors } from "../../lib/io/safetensors.ts";
import {
  configFromJson,
  diffusersToWanName,
  initWanParams,
  loadWanCheckpoint,
  MODEL_PRESETS,
  saveWanCheckpoint,
  wanParamShapes,
  wanToDiffusersName,
} from "../../lib/model/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { FIXTURES } from "./_fixtures.ts";

await initEngine({ backend: "cpu" });

/** Loaded float32 tensors as tensors to write (F32). */
function asWritable(
  t: Record<string, { shape: number[]; data: Float32Array }>,
): Record<string, { shape: number[]; data: Float32Array }> {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, { shape: v.shape, data: v.data }]));
}

Deno.test("wanToDiffusersName() follows diffusers' conversion table, including the norm2/norm3 swap", () => {
  const pairs: Array<[string, string]> = [
    ["patch_embedding.weight", "patch_embedding.weight"],
    ["text_embedding.0.weight", "condition_embedder.text_embedder.linear_1.weight"],
    ["text_embedding.2.bias", "condition_embedder.text_embedder.linear_2.bias"],
    ["time_embedding.0.weight", "condition_embedder.time_embedder.linear_1.weight"],
    ["time_embedding.2.weight", "condition_embedder.time_embedder.linear_2.weight"],
    ["time_projection.1.bias", "condition_embedder.time_proj.bias"],
    ["blocks.0.modulation", "blocks.0.scale_shift_table"],
    ["blocks.7.self_attn.q.weight", "blocks.7.attn1.to_q.weight"],
    ["blocks.7.self_attn.o.bias", "blocks.7.attn1.to_out.0.bias"],
    ["blocks.7.self_attn.norm_k.weight", "blocks.7.attn1.norm_k.weight"],
    ["blocks.12.cross_attn.v.weight", "blocks.12.attn2.to_v.weight"],
    ["blocks.12.cross_attn.norm_q.weight", "blocks.12.attn2.norm_q.weight"],
    ["blocks.3.norm3.weight", "blocks.3.norm2.weight"],
    ["blocks.3.norm3.bias", "blocks.3.norm2.bias"],
    ["blocks.29.ffn.0.weight", "blocks.29.ffn.net.0.proj.weight"],
    ["blocks.29.ffn.2.bias", "blocks.29.ffn.net.2.bias"],
    ["head.modulation", "scale_shift_table"],
    ["head.head.weight", "proj_out.weight"],
  ];
  for (const [wan, diff] of pairs) {
    assert.equal(wanToDiffusersName(wan), diff);
    assert.equal(diffusersToWanName(diff), wan);
  }
  assert.throws(() => wanToDiffusersName("img_emb.proj.0.weight"), /Cannot map "img_emb.proj.0.weight"/);
});

Deno.test("the diffusers name map is a bijection over every 1.3B parameter", () => {
  const names = wanParamShapes(MODEL_PRESETS["wan2.1-t2v-1.3b"]).map(([n]) => n);
  const mapped = names.map(wanToDiffusersName);
  assert.equal(new Set(mapped).size, names.length);
  assert.deepEqual(mapped.map(diffusersToWanName), names);
});

Deno.test("configFromJson() reads Wan's saved 1.3B config and diffusers' 1.3B config as the preset", () => {
  // The keys WanModel.save_config writes (ignore_for_config keys left out).
  const wan = {
    _class_name: "WanModel",
    dim: 1536,
    eps: 1e-6,
    ffn_dim: 8960,
    freq_dim: 256,
    in_dim: 16,
    model_type: "t2v",
    num_heads: 12,
    num_layers: 30,
    out_dim: 16,
    text_len: 512,
  };
  assert.deepEqual(configFromJson(wan), { cfg: MODEL_PRESETS["wan2.1-t2v-1.3b"], format: "wan" });
  // diffusers' convert_wan_to_diffusers.py config for Wan-T2V-1.3B.
  const diffusers = {
    added_kv_proj_dim: null,
    attention_head_dim: 128,
    cross_attn_norm: true,
    eps: 1e-6,
    ffn_dim: 8960,
    freq_dim: 256,
    in_channels: 16,
    num_attention_heads: 12,
    num_layers: 30,
    out_channels: 16,
    patch_size: [1, 2, 2],
    qk_norm: "rms_norm_across_heads",
    text_dim: 4096,
  };
  assert.deepEqual(configFromJson(diffusers), { cfg: MODEL_PRESETS["wan2.1-t2v-1.3b"], format: "diffusers" });
  assert.throws(() => configFromJson({ ...wan, model_type: "i2v" }), /only "t2v" is implemented/);
  assert.throws(() => configFromJson({ ...diffusers, image_dim: 1280 }), /image_dim = 1280/);
  assert.throws(() => configFromJson({ ...wan, dim: "big" }), /"dim" must be a number: received "big"/);
});

Deno.test("saveWanCheckpoint() then loadWanCheckpoint() round-trips config and values in both namings", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cfg = { ...MODEL_PRESETS["wan-smoke"], text_len: 5, num_layers: 1 };
    const params = initWanParams(cfg, { prng: new Prng(3) });
    for (const format of ["wan", "diffusers"] as const) {
      await saveWanCheckpoint(`${dir}/${format}`, { cfg, params }, { format });
      const loaded = await loadWanCheckpoint(`${dir}/${format}`);
      assert.equal(loaded.format, format);
      assert.deepEqual(loaded.cfg, cfg);
      for (const [name, v] of Object.entries(params)) {
        assert.deepEqual(loaded.params[name].dataSync(), v.dataSync(), name);
      }
      tf.dispose(Object.values(loaded.params));
    }
    tf.dispose(Object.values(params));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadWanCheckpoint() names a missing, unexpected or mis-shaped tensor", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const tensors = asWritable((await readSafetensors(`${FIXTURES}smoke/diffusion_pytorch_model.safetensors`)).tensors);
    const config = await Deno.readTextFile(`${FIXTURES}smoke/config.json`);
    const write = async (t: typeof tensors) => {
      await Deno.writeTextFile(`${dir}/config.json`, config);
      await writeSafetensors(`${dir}/diffusion_pytorch_model.safetensors`, t);
    };
    const { ["blocks.1.ffn.2.bias"]: _dropped, ...missing } = tensors;
    await write(missing);
    await assert.rejects(loadWanCheckpoint(dir), /missing blocks\.1\.ffn\.2\.bias \[32\]/);
    await write({ ...tensors, "blocks.2.modulation": tensors["blocks.1.modulation"] });
    await assert.rejects(loadWanCheckpoint(dir), /unexpected blocks\.2\.modulation/);
    await write({ ...tensors, "blocks.0.ffn.0.bias": { shape: [63], data: new Float32Array(63) } });
    await assert.rejects(loadWanCheckpoint(dir), /blocks\.0\.ffn\.0\.bias: expected \[64\], received \[63\]/);
    await Deno.remove(`${dir}/diffusion_pytorch_model.safetensors`);
    await assert.rejects(loadWanCheckpoint(dir), /expected diffusion_pytorch_model\.safetensors/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadWanCheckpoint() reads shards listed in diffusion_pytorch_model.safetensors.index.json", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const tensors = asWritable((await readSafetensors(`${FIXTURES}plain/diffusion_pytorch_model.safetensors`)).tensors);
    const names = Object.keys(tensors);
    const half = Math.floor(names.length / 2);
    const shards = [names.slice(0, half), names.slice(half)];
    const weightMap: Record<string, string> = {};
    for (const [i, shard] of shards.entries()) {
      const file = `diffusion_pytorch_model-0000${i + 1}-of-00002.safetensors`;
      await writeSafetensors(`${dir}/${file}`, Object.fromEntries(shard.map((n) => [n, tensors[n]])));
      for (const n of shard) weightMap[n] = file;
    }
    await Deno.writeTextFile(
      `${dir}/diffusion_pytorch_model.safetensors.index.json`,
      JSON.stringify({ weight_map: weightMap }),
    );
    await Deno.copyFile(`${FIXTURES}plain/config.json`, `${dir}/config.json`);
    const model = await loadWanCheckpoint(dir);
    assert.deepEqual(model.cfg.patch_size, [2, 2, 1]);
    assert.equal(model.cfg.qk_norm, false);
    assert.equal(model.cfg.cross_attn_norm, false);
    assert.equal(model.cfg.text_dim, 10);
    tf.dispose(Object.values(model.params));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
