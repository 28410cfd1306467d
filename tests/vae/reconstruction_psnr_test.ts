import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { reconstructionPsnr, vaeDecode, vaeEncode } from "../../lib/vae/mod.ts";
import { disposeVae, randomClip, smokeVae } from "./_helpers.ts";

await initEngine({ backend: "cpu" });

Deno.test("reconstructionPsnr() averages 10·log10(1/MSE) per clip of the clamped mean reconstruction on the [0, 1] scale", async () => {
  const vae = smokeVae();
  const x = randomClip([2, 3, 5, 16, 16], 31);
  const { mean, logvar } = vaeEncode(vae, x);
  const decoded = vaeDecode(vae, mean, { clamp: true });
  const a = x.dataSync(), d = decoded.dataSync();
  const per = a.length / 2;
  let expected = 0;
  for (let i = 0; i < 2; i++) {
    let se = 0;
    for (let k = i * per; k < (i + 1) * per; k++) se += ((a[k] + 1) / 2 - (d[k] + 1) / 2) ** 2;
    expected += 10 * Math.log10(1 / (se / per)) / 2;
  }
  const got = await reconstructionPsnr(vae, x);
  assert.ok(Math.abs(got - expected) < 1e-3, `${got} vs ${expected}`);
  tf.dispose([x, mean, logvar, decoded]);
  disposeVae(vae);
});

Deno.test("reconstructionPsnr() is Infinity for a clip the model reproduces exactly", async () => {
  const vae = smokeVae();
  // Zero decoder head: every reconstruction is 0, so a clip of zeros is reproduced exactly.
  vae.params["decoder.head.2.weight"].assign(tf.zeros(vae.params["decoder.head.2.weight"].shape));
  vae.params["decoder.head.2.bias"].assign(tf.zeros([3]));
  const x = tf.zeros([1, 3, 5, 16, 16]);
  assert.equal(await reconstructionPsnr(vae, x), Infinity);
  x.dispose();
  disposeVae(vae);
});
