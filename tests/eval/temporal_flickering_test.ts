import assert from "node:assert/strict";
import { temporalFlickering } from "../../lib/eval/mod.ts";
import { assertClose, fixtures } from "./_fixtures.ts";

type Shape = [number, number, number, number, number];

Deno.test("temporalFlickering() reproduces the reference value on the moving pattern", () => {
  const h = 32, w = 48;
  const data = new Uint8Array(4 * h * w * 3);
  for (let t = 0; t < 4; t++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = (7 * x + 13 * y + 3 * t + ((x * t) % 5)) % 256;
        for (let c = 0; c < 3; c++) data[((t * h + y) * w + x) * 3 + c] = v;
      }
    }
  }
  assertClose(temporalFlickering({ data, shape: [1, 4, h, w, 3] }), 0.9728758, 1e-6);
});

Deno.test("temporalFlickering() matches VBench's mae_seq / cal_score on random uint8 videos", () => {
  const f = fixtures.flicker;
  assertClose(temporalFlickering({ data: Uint8Array.from(f.video), shape: f.shape }), f.score, 1e-9);
});

Deno.test("temporalFlickering() is 1 for a static video and hand-computed for a two-level one", () => {
  const still = { data: new Float32Array(3 * 4 * 4 * 3).fill(0.3), shape: [1, 3, 4, 4, 3] as Shape };
  assert.equal(temporalFlickering(still), 1);
  // Video 0 steps 0 → 51 → 51: m = (51 + 0)/2 = 25.5 → 0.9; video 1 static → 1; mean 0.95.
  const data = new Uint8Array([0, 51, 51, 9, 9, 9]);
  assertClose(temporalFlickering({ data, shape: [2, 3, 1, 1, 1] }), 0.95, 1e-12);
});

Deno.test("temporalFlickering() rounds float input to 8 bits only when asked", () => {
  const v = { data: new Float32Array([0, 0.1]), shape: [1, 2, 1, 1, 1] as Shape };
  assertClose(temporalFlickering(v), 0.9, 1e-7);
  // round(25.5) = 26 → (255 − 26)/255
  assertClose(temporalFlickering(v, { quantize: true }), 229 / 255, 1e-12);
});

Deno.test("temporalFlickering() rejects single-frame videos with the shape", () => {
  assert.throws(() => temporalFlickering({ data: new Float32Array(4), shape: [1, 1, 2, 2, 1] }), {
    name: "RangeError",
    message: /2 frames.*\[1,1,2,2,1\]/,
  });
});
