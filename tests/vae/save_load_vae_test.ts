import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { readSafetensors, writeSafetensors } from "../../lib/io/safetensors.ts";
import { loadVae, saveVae, VAE_FILES, vaeEncode } from "../../lib/vae/mod.ts";
import { disposeVae, maxAbsDiff, randomClip, smokeVae } from "./_helpers.ts";

await initEngine({ backend: "cpu" });

const STATS = { mean: new Float32Array([0.5, -1, 2, 0]), std: new Float32Array([1, 2, 0.25, 3]) };

Deno.test("saveVae() then loadVae() restores config, every parameter bit for bit and the latent statistics", async () => {
  const dir = await Deno.makeTempDir();
  const vae = { ...smokeVae(3), stats: STATS };
  await saveVae(dir, vae);
  const loaded = await loadVae(dir);
  assert.deepStrictEqual(loaded.config, vae.config);
  assert.deepStrictEqual(Object.keys(loaded.params), Object.keys(vae.params));
  for (const [name, v] of Object.entries(vae.params)) {
    assert.deepStrictEqual(loaded.params[name].dataSync(), v.dataSync(), name);
  }
  assert.deepStrictEqual(loaded.stats, STATS);
  const { tensors } = await readSafetensors(`${dir}/${VAE_FILES.weights}`);
  assert.deepStrictEqual(tensors.latents_std.shape, [4]);
  const x = randomClip([1, 3, 5, 16, 16]);
  const a = vaeEncode(vae, x), b = vaeEncode(loaded, x);
  assert.equal(maxAbsDiff(a.mean, b.mean), 0);
  tf.dispose([x, a.mean, a.logvar, b.mean, b.logvar]);
  disposeVae(vae);
  disposeVae(loaded);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadVae() returns no statistics when none were saved", async () => {
  const dir = await Deno.makeTempDir();
  const vae = smokeVae();
  await saveVae(dir, vae);
  const loaded = await loadVae(dir);
  assert.equal(loaded.stats, undefined);
  disposeVae(vae);
  disposeVae(loaded);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadVae() rejects a missing, misshapen or unknown tensor and an unknown config key", async () => {
  const dir = await Deno.makeTempDir();
  const vae = smokeVae();
  await saveVae(dir, vae);
  const path = `${dir}/${VAE_FILES.weights}`;
  const { tensors } = await readSafetensors(path);
  type Entry = { shape: number[]; data: Float32Array };
  const rewrite = async (edit: (t: Record<string, Entry>) => void) => {
    const copy: Record<string, Entry> = {};
    for (const [name, t] of Object.entries(tensors)) copy[name] = { shape: t.shape, data: t.data };
    edit(copy);
    await writeSafetensors(path, copy);
  };
  await rewrite((t) => delete t["decoder.head.2.bias"]);
  await assert.rejects(loadVae(dir), { name: "TypeError", message: `Cannot load VAE as ${path} lacks "decoder.head.2.bias" [3]` });
  await rewrite((t) => (t["conv2.weight"] = { shape: [4, 4], data: new Float32Array(16) }));
  await assert.rejects(loadVae(dir), {
    name: "TypeError",
    message: `Cannot load VAE as "conv2.weight" in ${path} must be [4, 4, 1, 1, 1]: received [4, 4]`,
  });
  await rewrite((t) => (t["encoder.extra.weight"] = { shape: [1], data: new Float32Array(1) }));
  await assert.rejects(loadVae(dir), {
    name: "TypeError",
    message: `Cannot load VAE as ${path} holds 1 tensor(s) the config does not use: encoder.extra.weight`,
  });
  await rewrite(() => {});
  await Deno.writeTextFile(`${dir}/${VAE_FILES.config}`, JSON.stringify({ ...vae.config, dropout: 0 }));
  await assert.rejects(loadVae(dir), { name: "TypeError", message: /unknown \[dropout\], missing \[\]/ });
  disposeVae(vae);
  await Deno.remove(dir, { recursive: true });
});
