import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { vaeDecode } from "../../lib/vae/mod.ts";
import { disposeVae, frames, maxAbsDiff, randomClip, replaceFrom, smokeVae } from "./_helpers.ts";

await initEngine({ backend: "cpu" });

Deno.test("vaeDecode() maps 1 + k latent frames to 1 + 4k pixel frames at 4× the size", () => {
  const vae = smokeVae();
  const cases: [number[], number[]][] = [
    [[1, 4, 1, 4, 4], [1, 3, 1, 16, 16]],
    [[2, 4, 2, 4, 4], [2, 3, 5, 16, 16]],
    [[1, 4, 3, 2, 6], [1, 3, 9, 8, 24]],
  ];
  for (const [input, expected] of cases) {
    const z = randomClip(input);
    const x = vaeDecode(vae, z);
    assert.deepStrictEqual(x.shape, expected);
    tf.dispose([z, x]);
  }
  disposeVae(vae);
});

Deno.test("vaeDecode() is causal: pixel frames up to 4j do not change when latent frames after j change", () => {
  const vae = smokeVae();
  const z = randomClip([1, 4, 3, 4, 4], 5);
  const base = vaeDecode(vae, z);
  for (const j of [0, 1]) {
    const changed = replaceFrom(z, j + 1, 2);
    const out = vaeDecode(vae, changed);
    const kept = [frames(base, 0, 4 * j + 1), frames(out, 0, 4 * j + 1)];
    assert.equal(maxAbsDiff(kept[0], kept[1]), 0, `pixel frames 0..${4 * j} changed`);
    const next = [frames(base, 4 * j + 1, 4 * j + 2), frames(out, 4 * j + 1, 4 * j + 2)];
    assert.ok(maxAbsDiff(next[0], next[1]) > 1e-4, `pixel frame ${4 * j + 1} should see latent frame ${j + 1}`);
    tf.dispose([changed, out, ...kept, ...next]);
  }
  tf.dispose([z, base]);
  disposeVae(vae);
});

Deno.test("vaeDecode() clamps to [-1, 1] only when asked", () => {
  const vae = smokeVae();
  const z = tf.mul(randomClip([1, 4, 2, 4, 4], 6), 50);
  const raw = vaeDecode(vae, z);
  const clamped = vaeDecode(vae, z, { clamp: true });
  const r = raw.dataSync(), c = clamped.dataSync();
  assert.ok(r.some((v) => Math.abs(v) > 1), "large latents should decode outside [-1, 1]");
  for (let i = 0; i < r.length; i++) assert.equal(c[i], Math.min(1, Math.max(-1, r[i])));
  tf.dispose([z, raw, clamped]);
  disposeVae(vae);
});

Deno.test("vaeDecode() rejects latents with the wrong channel count", () => {
  const vae = smokeVae();
  const z = tf.zeros([1, 3, 2, 4, 4]);
  assert.throws(() => vaeDecode(vae, z), {
    name: "RangeError",
    message: "Cannot decode latents as they must be [B, 4, F', H', W']: received [1, 3, 2, 4, 4]",
  });
  z.dispose();
  disposeVae(vae);
});
