import assert from "node:assert/strict";
import {
  dynamicDegree,
  featureConsistency,
  type FlowField,
  i2vConsistency,
  motionSmoothness,
  type Video,
} from "../../lib/eval/mod.ts";
import { assertClose } from "./_fixtures.ts";

type Shape3 = [number, number, number];

Deno.test("i2vConsistency() is 0.4·max c + 0.3·mean s + 0.3·min s with negative cosines clipped", () => {
  const images = { data: new Float32Array([1, 0, 1, 0]), shape: [2, 2] as [number, number] };
  const frames = {
    // video 0: c = 1, 0.6, 0; s = 0.6, 0.8 → 0.4 + 0.21 + 0.18 = 0.79
    // video 1: frames (2, 0), (−1, 0), (−1, 0): c = 1, 0, 0; s = max(0, −1) = 0, 1 → 0.4 + 0.15 + 0 = 0.55
    data: new Float32Array([1, 0, 0.6, 0.8, 0, 1, 2, 0, -1, 0, -1, 0]),
    shape: [2, 3, 2] as Shape3,
  };
  const r = i2vConsistency(images, frames);
  assertClose(r.perVideo[0], 0.79, 1e-7);
  assertClose(r.perVideo[1], 0.55, 1e-7);
  assertClose(r.score, (0.79 + 0.55) / 2, 1e-7);
  assert.throws(() => i2vConsistency({ data: new Float32Array(2), shape: [1, 2] }, frames), {
    name: "RangeError",
    message: /images must be \[2, 2\].*received \[1,2\]/,
  });
});

Deno.test("featureConsistency() averages (prev + first)/2 over frame pairs, clipping negative cosines", () => {
  const frames = {
    // video 0: t1 (0.6 + 0.6)/2 = 0.6, t2 (0.8 + 0)/2 = 0.4 → 0.5
    // video 1: (1, 0), (3, 0), (−1, 0): t1 (1 + 1)/2 = 1, t2 (0 + 0)/2 = 0 → 0.5 (cosine ignores length)
    data: new Float32Array([1, 0, 0.6, 0.8, 0, 1, 1, 0, 3, 0, -1, 0]),
    shape: [2, 3, 2] as Shape3,
  };
  const r = featureConsistency(frames);
  assertClose(r.perVideo[0], 0.5, 1e-7);
  assertClose(r.perVideo[1], 0.5, 1e-7);
  assertClose(r.score, 0.5, 1e-7);
  const nan = { data: new Float32Array([1, NaN, 0, 1]), shape: [1, 2, 2] as Shape3 };
  assert.throws(() => featureConsistency(nan), { name: "RangeError", message: /NaN at flat index 1/ });
  assert.throws(() => featureConsistency({ data: new Float32Array(2), shape: [1, 1, 2] }), { name: "RangeError", message: />= 2 frames/ });
});

/** A still video of F frames, 64×64 grey: the scripted flow decides what moves. */
function still(n: number, f: number): Video {
  return { data: new Float32Array(n * f * 64 * 64), shape: [n, f, 64, 64, 1] };
}

/** A flow function that plays back magnitudes (one per call) as a uniform horizontal flow. */
function scripted(magnitudes: number[]) {
  let call = 0;
  return (): FlowField => {
    const m = magnitudes[call++];
    return { u: new Float32Array(64 * 64).fill(m), v: new Float32Array(64 * 64), height: 64, width: 64 };
  };
}

Deno.test("dynamicDegree() needs round(4F/16) pairs above 6·min(H,W)/256 px, with Python's half-to-even rounding", async () => {
  // 64×64 → threshold 1.5 px. F = 6 → round(1.5) = 2 pairs.
  let r = await dynamicDegree(still(1, 6), { flow: scripted([2, 0, 0, 0, 0]) });
  assert.deepEqual(r.perVideo, [0]);
  r = await dynamicDegree(still(1, 6), { flow: scripted([2, 0, 1.6, 0, 0]) });
  assert.deepEqual(r.perVideo, [1]);
  // exactly at the threshold does not count (strict >)
  r = await dynamicDegree(still(1, 6), { flow: scripted([1.5, 1.5, 1.5, 1.5, 1.5]) });
  assert.deepEqual(r.perVideo, [0]);
  // F = 10 → round(2.5) = 2 (not 3): two moving pairs suffice.
  r = await dynamicDegree(still(1, 10), { flow: scripted([2, 2, 0, 0, 0, 0, 0, 0, 0]) });
  assert.deepEqual(r.perVideo, [1]);
  // F = 2 → round(0.5) = 0: VBench's loop calls any video with a pair dynamic.
  r = await dynamicDegree(still(1, 2), { flow: scripted([0]) });
  assert.deepEqual(r.perVideo, [1]);
  // Two videos, one dynamic → 0.5; per-pair scores recorded.
  r = await dynamicDegree(still(2, 4), { flow: scripted([2, 0, 0, 0, 0, 0]) });
  assert.equal(r.score, 0.5);
  assert.deepEqual(r.pairScores, [[2, 0, 0], [0, 0, 0]]);
  // Options move the threshold.
  r = await dynamicDegree(still(1, 4), { flow: scripted([1, 1, 1]), thresholdScale: 2 });
  assert.deepEqual(r.perVideo, [1]);
});

Deno.test("dynamicDegree() scores a pair by the mean of its top 5% flow magnitudes", async () => {
  // 4096 pixels → the top 204; 102 pixels move by (3, 4) = 5 px → mean 2.5.
  const flow = (): FlowField => {
    const u = new Float32Array(4096), v = new Float32Array(4096);
    for (let p = 0; p < 102; p++) {
      u[p * 7] = 3;
      v[p * 7] = -4;
    }
    return { u, v, height: 64, width: 64 };
  };
  const r = await dynamicDegree(still(1, 2), { flow, countRatio: 0.5 }); // one pair needed
  assertClose(r.pairScores[0][0], 2.5, 1e-12);
  assert.deepEqual(r.perVideo, [1]);
});

/** Videos whose frame t is the constant level values[t], 2×2 grey. */
function levels(values: number[]): Video {
  return { data: Float32Array.from(values.flatMap((v) => [v, v, v, v])), shape: [1, values.length, 2, 2, 1] };
}
const average = (a: { data: Float32Array }, b: { data: Float32Array }) => ({
  data: a.data.map((x, i) => (x + b.data[i]) / 2),
  height: 2,
  width: 2,
  channels: 1,
});

Deno.test("motionSmoothness() interpolates even frames and compares the odd ones on the 0–255 scale", async () => {
  // Frames 0, 0.5, 0, 0.2, 0.4: pairs (0,2) → 0 vs 0.5: 127.5; (2,4) → 0.2 vs 0.2: 0. m = 63.75.
  const r = await motionSmoothness(levels([0, 0.5, 0, 0.2, 0.4]), { interpolate: average });
  assertClose(r.score, (255 - 63.75) / 255, 1e-6);
  // F = 4: only the pair (0, 2); frame 3 is unused, as in VBench.
  const r4 = await motionSmoothness(levels([0, 0.5, 0, 1]), { interpolate: average });
  assertClose(r4.score, (255 - 127.5) / 255, 1e-6);
  await assert.rejects(() => motionSmoothness(levels([0, 1]), { interpolate: average }), { name: "RangeError", message: />= 3 frames/ });
});

Deno.test("motionSmoothness() with quantize rounds real frames and truncates interpolated ones like VBench", async () => {
  // Frames 0, 0.5, 0.0039: interp = 0.00195 → 255·x = 0.497 → trunc 0; real 127.5 → round 128. m = 128.
  const r = await motionSmoothness(levels([0, 0.5, 0.0039]), { interpolate: average, quantize: true });
  assertClose(r.score, (255 - 128) / 255, 1e-9);
  const plain = await motionSmoothness(levels([0, 0.5, 0.0039]), { interpolate: average });
  assertClose(plain.score, (255 - (127.5 - 0.0039 * 255 / 2)) / 255, 1e-6);
});
