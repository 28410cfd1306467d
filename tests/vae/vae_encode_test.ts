import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { vaeEncode } from "../../lib/vae/mod.ts";
import { disposeVae, frames, maxAbsDiff, randomClip, replaceFrom, smokeVae } from "./_helpers.ts";

await initEngine({ backend: "cpu" });

Deno.test("vaeEncode() maps F = 1 + 4k frames to 1 + k latent frames at 1/4 the size", () => {
  const vae = smokeVae();
  const cases: [number[], number[]][] = [
    [[1, 3, 1, 16, 16], [1, 4, 1, 4, 4]],
    [[2, 3, 5, 16, 16], [2, 4, 2, 4, 4]],
    [[1, 3, 9, 16, 16], [1, 4, 3, 4, 4]],
    [[1, 3, 9, 8, 24], [1, 4, 3, 2, 6]],
  ];
  for (const [input, expected] of cases) {
    const x = randomClip(input);
    const { mean, logvar } = vaeEncode(vae, x);
    assert.deepStrictEqual(mean.shape, expected);
    assert.deepStrictEqual(logvar.shape, expected);
    assert.ok(mean.dataSync().every(Number.isFinite));
    tf.dispose([x, mean, logvar]);
  }
  disposeVae(vae);
});

Deno.test("vaeEncode() encodes a single image to one latent frame, the first latent frame of any clip starting with it", () => {
  const vae = smokeVae();
  const clip = randomClip([1, 3, 9, 16, 16]);
  const image = frames(clip, 0, 1);
  const a = vaeEncode(vae, image);
  const b = vaeEncode(vae, clip);
  assert.equal(a.mean.shape[2], 1);
  const first = frames(b.mean, 0, 1);
  assert.ok(maxAbsDiff(a.mean, first) <= 1e-6, `image vs clip latent 0 differ by ${maxAbsDiff(a.mean, first)}`);
  tf.dispose([clip, image, a.mean, a.logvar, b.mean, b.logvar, first]);
  disposeVae(vae);
});

Deno.test("vaeEncode() is causal: latent frame j does not change when pixel frames after 4j change", () => {
  const vae = smokeVae();
  const clip = randomClip([2, 3, 9, 16, 16]);
  const base = vaeEncode(vae, clip);
  for (const j of [0, 1]) {
    const changed = replaceFrom(clip, 4 * j + 1, 0.75);
    const enc = vaeEncode(vae, changed);
    const kept = [frames(base.mean, 0, j + 1), frames(enc.mean, 0, j + 1)];
    const keptVar = [frames(base.logvar, 0, j + 1), frames(enc.logvar, 0, j + 1)];
    assert.equal(maxAbsDiff(kept[0], kept[1]), 0, `latent frames 0..${j} changed`);
    assert.equal(maxAbsDiff(keptVar[0], keptVar[1]), 0, `latent log-variances 0..${j} changed`);
    const next = [frames(base.mean, j + 1, j + 2), frames(enc.mean, j + 1, j + 2)];
    assert.ok(maxAbsDiff(next[0], next[1]) > 1e-4, `latent frame ${j + 1} should see pixel frame ${4 * j + 1}`);
    tf.dispose([changed, enc.mean, enc.logvar, ...kept, ...keptVar, ...next]);
  }
  tf.dispose([clip, base.mean, base.logvar]);
  disposeVae(vae);
});

Deno.test("vaeEncode() of the first 1 + 4j frames equals the first 1 + j latent frames of the whole clip", () => {
  const vae = smokeVae();
  const clip = randomClip([1, 3, 9, 16, 16]);
  const whole = vaeEncode(vae, clip);
  const prefix = frames(clip, 0, 5);
  const part = vaeEncode(vae, prefix);
  const head = frames(whole.mean, 0, 2);
  assert.deepStrictEqual(part.mean.shape, [1, 4, 2, 4, 4]);
  assert.ok(maxAbsDiff(part.mean, head) <= 1e-6);
  tf.dispose([clip, prefix, head, whole.mean, whole.logvar, part.mean, part.logvar]);
  disposeVae(vae);
});

Deno.test("vaeEncode() rejects frame counts other than 1 + 4k, sizes not divisible by 4 and non-RGB input", () => {
  const vae = smokeVae();
  const bad: [number[], RegExp][] = [
    [[1, 3, 6, 16, 16], /frame count must be 1 \+ k·4: received 6 frames/],
    [[1, 3, 5, 10, 16], /multiples of 4: received 10×16/],
    [[1, 4, 5, 16, 16], /must be \[B, 3, F, H, W\]: received \[1, 4, 5, 16, 16\]/],
  ];
  for (const [shape, message] of bad) {
    const x = tf.zeros(shape);
    assert.throws(() => vaeEncode(vae, x), { name: "RangeError", message });
    x.dispose();
  }
  disposeVae(vae);
});

Deno.test("vaeEncode() leaves no tensors behind but its outputs", () => {
  const vae = smokeVae();
  const x = randomClip([1, 3, 5, 16, 16]);
  const before = tf.memory().numTensors;
  const { mean, logvar } = vaeEncode(vae, x);
  assert.equal(tf.memory().numTensors, before + 2);
  tf.dispose([x, mean, logvar]);
  disposeVae(vae);
});
