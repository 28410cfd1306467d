/**
 * Conformance with the official Wan 2.1 VAE: the fixture was produced by
 * tests/vae/fixtures/build_wan_vae_fixture.py running Wan-Video/Wan2.1
 * `wan/modules/vae.py` (chunked encode/decode with its feature cache) on CPU.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { readSafetensors } from "../../lib/io/safetensors.ts";
import { loadVae, VAE_PRESETS, vaeDecode, vaeEncode, vaeParamShapes } from "../../lib/vae/mod.ts";
import { disposeVae } from "./_helpers.ts";

await initEngine({ backend: "cpu" });

const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;

function relativeError(actual: tf.Tensor, expected: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0] / tf.max(tf.abs(expected)).dataSync()[0]);
}

Deno.test("vaeParamShapes() of wan2.1 lists the official state dict's 194 names and shapes in order", async () => {
  const official: [string, number[]][] = JSON.parse(
    await Deno.readTextFile(`${FIXTURES}/wan21_vae_state_dict_shapes.json`),
  );
  const ours = Object.entries(vaeParamShapes(VAE_PRESETS["wan2.1"]));
  assert.equal(ours.length, 194);
  assert.deepStrictEqual(ours, official);
  const count = ours.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
  assert.equal(count, 126_892_531);
});

Deno.test("vaeEncode() and vaeDecode() reproduce the official chunked Wan VAE on a random-weight model", async () => {
  const vae = await loadVae(`${FIXTURES}/wan_vae_tiny`);
  const { tensors } = await readSafetensors(`${FIXTURES}/wan_vae_tiny/io.safetensors`);
  const t = (name: string) => tf.tensor(tensors[name].data, tensors[name].shape);
  for (const suffix of ["", "1"]) {
    const x = t(`x${suffix}`), mu = t(`mu${suffix}`), logvar = t(`logvar${suffix}`), decoded = t(`decoded${suffix}`);
    const enc = vaeEncode(vae, x);
    assert.deepStrictEqual(enc.mean.shape, mu.shape);
    assert.ok(relativeError(enc.mean, mu) < 1e-5, `mu${suffix}: ${relativeError(enc.mean, mu)}`);
    assert.ok(relativeError(enc.logvar, logvar) < 1e-5, `logvar${suffix}: ${relativeError(enc.logvar, logvar)}`);
    const dec = vaeDecode(vae, mu);
    assert.deepStrictEqual(dec.shape, decoded.shape);
    assert.ok(relativeError(dec, decoded) < 1e-5, `decoded${suffix}: ${relativeError(dec, decoded)}`);
    tf.dispose([x, mu, logvar, decoded, enc.mean, enc.logvar, dec]);
  }
  disposeVae(vae);
});
