import assert from "node:assert/strict";
import { psnr } from "../../lib/eval/mod.ts";
import { assertClose, caseVideo, fixtures, patternVideo } from "./_fixtures.ts";

const a = (x: number, y: number) => 7 * x + 13 * y;
const b = (x: number, y: number) => 7 * x + 13 * y + ((x * y) % 17);
type Shape = [number, number, number, number, number];

Deno.test("psnr() reproduces the reference values on the grey and RGB pattern pairs", () => {
  assertClose(psnr(patternVideo(a, 1), patternVideo(b, 1)), 16.1795831934399, 1e-6, "grey PSNR");
  assertClose(psnr(patternVideo(a, 3), patternVideo(b, 3)), 15.780088183413392, 1e-6, "RGB PSNR");
});

Deno.test("psnr() matches scikit-image on random float and uint8 videos", () => {
  for (const c of fixtures.images) {
    assertClose(psnr(caseVideo(c, "pred"), caseVideo(c, "ref")), c.psnr, 1e-9, `PSNR ${c.name}`);
  }
});

Deno.test("psnr() is 10·log10(1/MSE) per frame, averaged over frames", () => {
  // frame 0: MSE 0.01 → 20 dB; frame 1: MSE 0.0001 → 40 dB.
  const shape: Shape = [1, 2, 1, 2, 1];
  const p = { data: new Float32Array([0, 0, 0, 0]), shape };
  const r = { data: new Float32Array([0.1, 0.1, 0.01, 0.01]), shape };
  assertClose(psnr(p, r), 30, 1e-6);
  assertClose(psnr(p, r, { dataRange: 2 }), 30 + 20 * Math.log10(2), 1e-6);
});

Deno.test("psnr() returns +Infinity for an identical frame unless maxDb caps it", () => {
  const shape: Shape = [1, 2, 1, 2, 1];
  const p = { data: new Float32Array([0, 0, 0, 0]), shape };
  const r = { data: new Float32Array([0.1, 0.1, 0, 0]), shape };
  assert.equal(psnr(p, r), Infinity);
  assertClose(psnr(p, r, { maxDb: 100 }), 60, 1e-7);
  assert.throws(() => psnr(p, r, { maxDb: Infinity }), { name: "RangeError", message: /maxDb.*Infinity/ });
});

Deno.test("psnr() rejects mismatched shapes naming both", () => {
  assert.throws(() => psnr(patternVideo(a, 1), patternVideo(a, 1, 32, 40)), {
    name: "RangeError",
    message: /pred \[1,1,32,48,1\] and ref \[1,1,32,40,1\]/,
  });
});
