import assert from "node:assert/strict";
import { maskedPsnr, psnr } from "../../lib/eval/mod.ts";
import { assertClose } from "./_fixtures.ts";

type Shape = [number, number, number, number, number];

Deno.test("maskedPsnr() pools the squared error over the selected pixels of every frame of a video", () => {
  // One video, 2 frames of 1×2 RGB pixels; pixel 1 of each frame is the character.
  const shape: Shape = [1, 2, 1, 2, 3];
  const pred = { data: new Float32Array(12), shape };
  // Background errors 0.1 (frame 0) and 0.3 (frame 1) on every channel: MSE (0.01 + 0.09) / 2 = 0.05.
  // Character errors 0.5 everywhere: MSE 0.25.
  const ref = { data: new Float32Array([0.1, 0.1, 0.1, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.5, 0.5, 0.5]), shape };
  const mask = new Float32Array([0, 1, 0, 1]);
  assertClose(maskedPsnr(pred, ref, mask, { invert: true }), 10 * Math.log10(1 / 0.05), 1e-6, "background");
  assertClose(maskedPsnr(pred, ref, mask), 10 * Math.log10(1 / 0.25), 1e-6, "character");
  assertClose(maskedPsnr(pred, ref, mask, { invert: true, dataRange: 2 }), 10 * Math.log10(4 / 0.05), 1e-6);
});

Deno.test("maskedPsnr() averages over videos, leaves out a video without selected pixels, and is NaN when none has any", () => {
  const shape: Shape = [2, 1, 1, 1, 1];
  const pred = { data: new Float32Array([0, 0]), shape };
  const ref = { data: new Float32Array([0.1, 0.01]), shape };
  // Video 0 all background (20 dB), video 1 all character: the background mean is video 0's alone.
  assertClose(maskedPsnr(pred, ref, new Float32Array([0, 1]), { invert: true }), 20, 1e-6);
  // With a full mask of ones, the character PSNR equals the plain PSNR of single-frame videos.
  assertClose(maskedPsnr(pred, ref, new Float32Array([1, 1])), psnr(pred, ref), 1e-9);
  assert.ok(Number.isNaN(maskedPsnr(pred, ref, new Float32Array([1, 1]), { invert: true })));
});

Deno.test("maskedPsnr() rejects a mask of the wrong size naming both", () => {
  const shape: Shape = [1, 2, 2, 2, 3];
  const v = { data: new Float32Array(24), shape };
  assert.throws(() => maskedPsnr(v, v, new Float32Array(4)), /must have N·F·H·W = 8 values for videos \[1,2,2,2,3\]: received 4/);
  assert.throws(() => maskedPsnr(v, v, new Float32Array(8), { dataRange: 0 }), /dataRange must be > 0: received 0/);
});
