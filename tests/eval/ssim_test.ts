import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { ssim } from "../../lib/eval/mod.ts";
import { assertClose, caseVideo, fixtures, patternVideo } from "./_fixtures.ts";

await initEngine({ backend: "cpu" });

const a = (x: number, y: number) => 7 * x + 13 * y;
const b = (x: number, y: number) => 7 * x + 13 * y + ((x * y) % 17);

Deno.test("ssim() reproduces the reference value on the grey pattern pair", () => {
  assertClose(ssim(patternVideo(a, 1), patternVideo(b, 1)), 0.8344993687091922, 1e-6, "grey SSIM");
});

Deno.test("ssim() reproduces the reference value on the RGB pattern pair (mean over channels)", () => {
  assertClose(ssim(patternVideo(a, 3), patternVideo(b, 3)), 0.8115199223672601, 1e-6, "RGB SSIM");
});

Deno.test("ssim() matches scikit-image on random float and uint8 videos", () => {
  for (const c of fixtures.images) {
    assertClose(ssim(caseVideo(c, "pred"), caseVideo(c, "ref")), c.ssim, 1e-9, `SSIM ${c.name}`);
  }
});

Deno.test("ssim() gives the same value for uint8 and for /255 float input", () => {
  const u = patternVideo(b, 3);
  const f = { data: Float32Array.from(u.data, (v) => v / 255), shape: u.shape };
  assertClose(ssim(f, patternVideo(a, 3)), ssim(u, patternVideo(a, 3)), 1e-6);
});

Deno.test("ssim() is 1 for identical videos and symmetric in its arguments", () => {
  const u = patternVideo(b, 3);
  assert.equal(ssim(u, u), 1);
  assertClose(ssim(patternVideo(a, 1), patternVideo(b, 1)), ssim(patternVideo(b, 1), patternVideo(a, 1)), 1e-14);
});

Deno.test("ssim() averages frames and videos with equal weight", () => {
  const p1 = patternVideo(a, 1), r1 = patternVideo(b, 1);
  const p2 = patternVideo((x, y) => 3 * x + y, 1), r2 = patternVideo((x, y) => 3 * x + y + (x % 3), 1);
  const stack = (u: typeof p1, v: typeof p1) => ({
    data: Uint8Array.from([...u.data, ...v.data]),
    shape: [1, 2, 32, 48, 1] as [number, number, number, number, number],
  });
  const both = ssim(stack(p1, p2), stack(r1, r2));
  assertClose(both, (ssim(p1, r1) + ssim(p2, r2)) / 2, 1e-12);
  const asVideos = { ...stack(p1, p2), shape: [2, 1, 32, 48, 1] as [number, number, number, number, number] };
  const asVideosRef = { ...stack(r1, r2), shape: [2, 1, 32, 48, 1] as [number, number, number, number, number] };
  assertClose(ssim(asVideos, asVideosRef), both, 1e-12);
});

Deno.test("ssim() accepts float32 tensors", () => {
  const u = patternVideo(b, 1), v = patternVideo(a, 1);
  const tu = tf.tensor(Float32Array.from(u.data, (x) => x / 255), u.shape);
  const tv = tf.tensor(Float32Array.from(v.data, (x) => x / 255), v.shape);
  assertClose(ssim(tu, tv), 0.8344993687091922, 1e-6);
  tf.dispose([tu, tv]);
});

Deno.test("ssim() rejects mismatched shapes, tiny frames and NaN with the received value", () => {
  const u = patternVideo(a, 1);
  assert.throws(() => ssim(u, patternVideo(a, 3)), { name: "RangeError", message: /same shape.*\[1,1,32,48,1\].*\[1,1,32,48,3\]/ });
  const small = { data: new Float32Array(10 * 10), shape: [1, 1, 10, 10, 1] as [number, number, number, number, number] };
  assert.throws(() => ssim(small, small), { name: "RangeError", message: /at least 11×11.*10×10/ });
  const nan = { data: new Float32Array(32 * 48).fill(0.5), shape: u.shape };
  nan.data[7] = NaN;
  assert.throws(() => ssim(nan, nan), { name: "RangeError", message: /pred.*NaN at flat index 7/ });
  assert.throws(() => ssim({ data: new Float32Array(3), shape: [1, 1, 1, 1, 3] }, u), { name: "RangeError" });
});
