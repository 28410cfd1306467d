import assert from "node:assert/strict";
import {
  dynamicDegreeClassical,
  flowInterpolate,
  type Frame,
  lucasKanadeFlow,
  motionSmoothnessClassical,
  type Video,
} from "../../lib/eval/mod.ts";
import { Prng } from "../../lib/random/mod.ts";

/** A smooth texture made of a few low-frequency waves, values in [0.17, 0.83]. */
const texture = (x: number, y: number) =>
  0.5 + 0.15 * Math.sin(0.31 * x + 0.17 * y) + 0.1 * Math.cos(0.23 * y - 0.11 * x + 1) +
  0.08 * Math.sin(0.5 * x) * Math.cos(0.41 * y);

/** The texture translated by (dx, dy): pixel (x, y) shows texture(x − dx, y − dy). RGB with scaled channels. */
function shifted(h: number, w: number, dx: number, dy: number, channels = 3): Frame {
  const data = new Float32Array(h * w * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = texture(x - dx, y - dy);
      for (let c = 0; c < channels; c++) data[(y * w + x) * channels + c] = t * (1 - 0.1 * c);
    }
  }
  return { data, height: h, width: w, channels };
}

/** Mean and median end-point error over pixels at least `margin` from the border. */
function endPointError(flow: { u: Float32Array; v: Float32Array }, h: number, w: number, dx: number, dy: number, margin = 8) {
  const errs: number[] = [];
  for (let y = margin; y < h - margin; y++) {
    for (let x = margin; x < w - margin; x++) errs.push(Math.hypot(flow.u[y * w + x] - dx, flow.v[y * w + x] - dy));
  }
  errs.sort((a, b) => a - b);
  return { mean: errs.reduce((a, b) => a + b, 0) / errs.length, median: errs[errs.length >> 1] };
}

Deno.test("lucasKanadeFlow() recovers a sub-pixel translation of a smooth texture to < 0.1 px", () => {
  const flow = lucasKanadeFlow(shifted(64, 64, 0, 0), shifted(64, 64, 1.3, -0.7));
  const e = endPointError(flow, 64, 64, 1.3, -0.7);
  assert.ok(e.mean < 0.1 && e.median < 0.05, `mean ${e.mean}, median ${e.median}`);
});

Deno.test("lucasKanadeFlow() recovers a several-pixel translation through its pyramid", () => {
  const flow = lucasKanadeFlow(shifted(64, 80, 0, 0), shifted(64, 80, 4.6, 2.2));
  const e = endPointError(flow, 64, 80, 4.6, 2.2);
  assert.ok(e.mean < 0.1, `mean ${e.mean}`);
  // Without the pyramid the same motion is mostly out of reach.
  const single = endPointError(lucasKanadeFlow(shifted(64, 80, 0, 0), shifted(64, 80, 4.6, 2.2), { levels: 1 }), 64, 80, 4.6, 2.2);
  assert.ok(single.mean > 4 * e.mean, `single-level mean ${single.mean} vs pyramid ${e.mean}`);
});

Deno.test("lucasKanadeFlow() gives zero flow for identical frames and rejects size mismatches", () => {
  const a = shifted(32, 32, 0, 0, 1);
  const flow = lucasKanadeFlow(a, a);
  assert.ok(flow.u.every((x) => x === 0) && flow.v.every((x) => x === 0));
  assert.throws(() => lucasKanadeFlow(a, shifted(32, 30, 0, 0, 1)), { name: "RangeError", message: /32×32 and 32×30/ });
});

Deno.test("flowInterpolate() predicts the half-way frame far better than blending", async () => {
  const a = shifted(64, 64, 0, 0), b = shifted(64, 64, 3, -2), truth = shifted(64, 64, 1.5, -1);
  const mid = await flowInterpolate(a, b);
  let warpErr = 0, blendErr = 0, n = 0;
  for (let y = 8; y < 56; y++) {
    for (let x = 8; x < 56; x++) {
      for (let c = 0; c < 3; c++) {
        const p = (y * 64 + x) * 3 + c;
        warpErr += Math.abs(mid.data[p] - truth.data[p]);
        blendErr += Math.abs(0.5 * (a.data[p] + b.data[p]) - truth.data[p]);
        n++;
      }
    }
  }
  assert.ok(warpErr / n < 0.003, `warp error ${warpErr / n}`);
  assert.ok(warpErr < 0.2 * blendErr, `warp ${warpErr / n} vs blend ${blendErr / n}`);
});

/** A video of F frames translating by (vx, vy) px per frame (grey, 64×64). */
function panning(f: number, vx: number, vy: number): Video {
  const frames = Array.from({ length: f }, (_, t) => shifted(64, 64, vx * t, vy * t, 1).data);
  const data = new Float32Array(f * 64 * 64);
  frames.forEach((d, t) => data.set(d, t * 4096));
  return { data, shape: [1, f, 64, 64, 1] };
}

Deno.test("dynamicDegreeClassical() calls a still video static and a 3 px/frame pan dynamic", async () => {
  const still = await dynamicDegreeClassical(panning(4, 0, 0));
  assert.deepEqual(still.perVideo, [0]);
  const pan = await dynamicDegreeClassical(panning(4, 3, 0));
  assert.deepEqual(pan.perVideo, [1]);
  // Top-5% magnitude of the pan is close to its speed (threshold 1.5 px).
  assert.ok(pan.pairScores[0].every((s) => s > 2.5 && s < 3.5), `${pan.pairScores[0]}`);
});

Deno.test("motionSmoothnessClassical() scores a steady pan near 1 and random frames lower", async () => {
  const steady = await motionSmoothnessClassical(panning(5, 1.5, 0.5));
  assert.ok(steady.score > 0.995, `steady ${steady.score}`);
  const prng = new Prng(2);
  const noise = { data: Float32Array.from({ length: 5 * 4096 }, () => prng.uniform()), shape: [1, 5, 64, 64, 1] } as Video;
  const random = await motionSmoothnessClassical(noise);
  assert.ok(random.score < 0.8, `random ${random.score}`);
});
