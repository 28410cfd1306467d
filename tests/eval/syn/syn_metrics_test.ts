import assert from "node:assert/strict";
import { initEngine } from "../../../lib/engine/mod.ts";
import {
  backgroundConsistencySyn,
  backgroundCrops,
  characterCrops,
  fidSyn,
  fvdSyn,
  i2vBackgroundSyn,
  i2vSubjectSyn,
  loadSynNetworks,
  lpipsSyn,
  maskUnion,
  subjectConsistencySyn,
  type SynNetworks,
  type Video,
} from "../../../lib/eval/mod.ts";
import { syntheticClip } from "../../../datasets/synthetic/mod.ts";
import { syntheticReferenceImages } from "../../../lib/eval/syn/synthetic_reference_images.ts";
import { writeTinyNets } from "./_tiny_nets.ts";

await initEngine({ backend: "cpu" });

type V5 = [number, number, number, number, number];
type M4 = [number, number, number, number];

/** Evaluation clips 0..n−1 at F×16×16 (videos, masks, ids) and their reference images. */
function evalClips(n: number, frames = 9) {
  const clips = Array.from(
    { length: n },
    (_, i) => syntheticClip("realisdance-val-syn", i, { frames, height: 16, width: 16 }),
  );
  const per = frames * 16 * 16;
  const videos = new Float32Array(n * per * 3), masks = new Float32Array(n * per);
  clips.forEach((c, i) => {
    videos.set(c.video, i * per * 3);
    masks.set(c.mask, i * per);
  });
  const ids = clips.map((c) => c.id);
  return {
    clips,
    ids,
    samples: {
      videos: { data: videos, shape: [n, frames, 16, 16, 3] as V5 },
      masks: { data: masks, shape: [n, frames, 16, 16] as M4 },
    },
    reference: syntheticReferenceImages(ids, { height: 16, width: 16 }),
  };
}

/** Every frame of each video replaced by its frame 0 (masks too). */
function frozen(s: ReturnType<typeof evalClips>["samples"]) {
  const [n, f, h, w] = s.masks.shape;
  const v = new Float32Array(s.videos.data.length), m = new Float32Array(s.masks.data.length);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < f; t++) {
      v.set(s.videos.data.subarray(i * f * h * w * 3, (i * f + 1) * h * w * 3), (i * f + t) * h * w * 3);
      m.set(s.masks.data.subarray(i * f * h * w, (i * f + 1) * h * w), (i * f + t) * h * w);
    }
  }
  return { videos: { data: v, shape: s.videos.shape }, masks: { data: m, shape: s.masks.shape } };
}

/** Frames from the middle on taken from the next video (identity switch). */
function switched(s: ReturnType<typeof evalClips>["samples"]) {
  const [n, f, h, w] = s.masks.shape;
  const v = Float32Array.from(s.videos.data), m = Float32Array.from(s.masks.data);
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    for (let t = Math.ceil(f / 2); t < f; t++) {
      v.set(s.videos.data.subarray((j * f + t) * h * w * 3, (j * f + t + 1) * h * w * 3), (i * f + t) * h * w * 3);
      m.set(s.masks.data.subarray((j * f + t) * h * w, (j * f + t + 1) * h * w), (i * f + t) * h * w);
    }
  }
  return { videos: { data: v, shape: s.videos.shape }, masks: { data: m, shape: s.masks.shape } };
}

function noisy(v: Video, amount: number): Video {
  const out = new Float32Array(v.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, v.data[i] + amount * Math.sin(i * 12.9898)));
  return { data: out, shape: v.shape };
}

let netsPromise: Promise<SynNetworks> | null = null;
const nets = () => (netsPromise ??= writeTinyNets().then((dir) => loadSynNetworks(dir)));

Deno.test("characterCrops() samples the box around the mask and greys out the rest", () => {
  // 4×4 RGB frame, value = pixel index / 16 in all channels; mask on pixel (row 1, col 2) only.
  const data = new Float32Array(48);
  for (let p = 0; p < 16; p++) data.fill(p / 16, 3 * p, 3 * p + 3);
  const masks = { data: new Float32Array(16), shape: [1, 1, 4, 4] as M4 };
  masks.data[6] = 1;
  const videos = { data, shape: [1, 1, 4, 4, 3] as V5 };
  // margin 0, size 1×1: the 1-pixel box's centre is pixel (1, 2) exactly.
  let c = characterCrops({ videos, masks }, { size: [1, 1], margin: 0, dilate: 0 });
  assert.deepEqual(Array.from(c.data), [6 / 16, 6 / 16, 6 / 16]);
  // margin 1 → a 3-pixel box, rows [0, 3) and columns [1, 4): at 3×3 every sample falls on a pixel centre;
  // only (1, 2) — the output's centre — is inside the (undilated) mask, the rest is grey 0.5.
  c = characterCrops({ videos, masks }, { size: [3, 3], margin: 1, dilate: 0 });
  assert.deepEqual(Array.from(c.data).filter((_, k) => k % 3 === 0), [0.5, 0.5, 0.5, 0.5, 6 / 16, 0.5, 0.5, 0.5, 0.5]);
  // With dilation 1 the whole 3×3 neighbourhood is kept: the crop is the pixels themselves.
  c = characterCrops({ videos, masks }, { size: [3, 3], margin: 1, dilate: 1 });
  assert.deepEqual(Array.from(c.data).filter((_, k) => k % 3 === 0), [1, 2, 3, 5, 6, 7, 9, 10, 11].map((p) => p / 16));
  // An empty mask returns the whole frame, unmasked (4×4 → 2×2 bilinear = 2×2 means).
  c = characterCrops({ videos, masks: { data: new Float32Array(16), shape: [1, 1, 4, 4] } }, { size: [2, 2] });
  assert.deepEqual(Array.from(c.data).filter((_, k) => k % 3 === 0), [2.5 / 16, 4.5 / 16, 10.5 / 16, 12.5 / 16]);
  assert.throws(() => characterCrops({ videos, masks: { data: new Float32Array(16), shape: [1, 1, 2, 8] } }), {
    name: "RangeError",
    message: /expected shape \[1,1,4,4\] to match videos/,
  });
});

Deno.test("maskUnion() and backgroundCrops() blank one dilated hole per video in every frame", () => {
  // 1 video, 2 frames of 1×5: character at x=0 in frame 0, x=4 in frame 1.
  const masks = { data: new Float32Array([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]), shape: [1, 2, 1, 5] as M4 };
  assert.deepEqual(Array.from(maskUnion(masks, { dilate: 0 }).data), [1, 0, 0, 0, 1]);
  const holes = maskUnion(masks);
  assert.deepEqual(Array.from(holes.data), [1, 1, 0, 1, 1]);
  const extra = { data: new Float32Array([0, 0, 1, 0, 0]), shape: [1, 1, 5] as [number, number, number] };
  assert.deepEqual(Array.from(maskUnion(masks, { dilate: 0, extra }).data), [1, 0, 1, 0, 1]);
  const v = { data: new Uint8Array(30).fill(255), shape: [1, 2, 1, 5, 3] as V5 };
  const b = backgroundCrops(v, holes);
  assert.deepEqual(Array.from(b.data.subarray(0, 15)), [
    0.5,
    0.5,
    0.5,
    0.5,
    0.5,
    0.5,
    1,
    1,
    1,
    0.5,
    0.5,
    0.5,
    0.5,
    0.5,
    0.5,
  ]);
});

Deno.test("syntheticReferenceImages() re-renders clip.reference pixel for pixel, with its character mask", () => {
  // Clip 5 is a camera-motion clip of realisdance-val-syn (the reference is seen from the first camera).
  const ids = ["realisdance-val-syn/0005", "realisdance-val-syn/0010"];
  const r = syntheticReferenceImages(ids, { height: 24, width: 24 });
  ids.forEach((id, i) => {
    const clip = syntheticClip("realisdance-val-syn", Number(id.split("/")[1]), { frames: 1, height: 24, width: 24 });
    assert.deepEqual(r.images.data.subarray(i * 24 * 24 * 3, (i + 1) * 24 * 24 * 3), clip.reference);
    const mask = r.masks.data.subarray(i * 576, (i + 1) * 576);
    assert.ok(mask.some((x) => x === 1) && mask.every((x) => x === 0 || x === 1));
  });
  assert.throws(() => syntheticReferenceImages(["val/3"], { height: 8, width: 8 }), {
    name: "RangeError",
    message: /expected "<set>\/<index>"/,
  });
});

Deno.test("subject and background consistency-syn are 1 for a still video and drop when the identity switches", async () => {
  const n = await nets();
  const { samples } = evalClips(3);
  const still = frozen(samples);
  const sw = switched(samples);
  for (const metric of [subjectConsistencySyn, backgroundConsistencySyn]) {
    const s = await metric(still, { network: n.image });
    assert.ok(Math.abs(s.score - 1) < 1e-6, `${metric.name} of a still video: ${s.score}`);
    const real = await metric(samples, { network: n.image });
    const bad = await metric(sw, { network: n.image });
    assert.ok(bad.score < real.score, `${metric.name}: switched ${bad.score} should be below ${real.score}`);
  }
  const inception = { ...n.image, name: "inception-v3-pool3" };
  await assert.rejects(() => subjectConsistencySyn(samples, { network: inception }), {
    name: "TypeError",
    message: /Subject Consistency-syn is defined by a "-syn" network/,
  });
});

Deno.test("i2v subject and background-syn are 1 when every frame is the reference image, lower for other frames", async () => {
  const n = await nets();
  const { samples, reference } = evalClips(2);
  const [, f] = samples.masks.shape;
  const px = 16 * 16;
  const v = new Float32Array(samples.videos.data.length), m = new Float32Array(samples.masks.data.length);
  for (let i = 0; i < 2; i++) {
    for (let t = 0; t < f; t++) {
      v.set(reference.images.data.subarray(i * px * 3, (i + 1) * px * 3), (i * f + t) * px * 3);
      m.set(reference.masks.data.subarray(i * px, (i + 1) * px), (i * f + t) * px);
    }
  }
  const same = { videos: { data: v, shape: samples.videos.shape }, masks: { data: m, shape: samples.masks.shape } };
  for (const metric of [i2vSubjectSyn, i2vBackgroundSyn]) {
    const s = await metric(same, reference, { network: n.image });
    assert.ok(Math.abs(s.score - 1) < 1e-6, `${metric.name}: ${s.score}`);
    const other = await metric(switched(samples), reference, { network: n.image });
    assert.ok(other.score < 1 - 1e-3, `${metric.name} of other frames: ${other.score}`);
  }
});

Deno.test("FID-syn, FVD-syn and LPIPS-syn are ~0 for identical sets and grow with degradation", async () => {
  const n = await nets();
  const { samples } = evalClips(4);
  const v = samples.videos;
  assert.ok(Math.abs(await fidSyn(v, v, { network: n.image })) < 1e-6);
  assert.ok(Math.abs(await fvdSyn(v, v, { network: n.video })) < 1e-6);
  assert.equal(await lpipsSyn(v, v, { extractor: n.lpips }), 0);
  const fid1 = await fidSyn(v, noisy(v, 0.1), { network: n.image });
  const fid2 = await fidSyn(v, noisy(v, 0.3), { network: n.image });
  assert.ok(fid1 > 0 && fid2 > fid1, `FID-syn ${fid1} then ${fid2}`);
  const lp1 = await lpipsSyn(v, noisy(v, 0.1), { extractor: n.lpips });
  const lp2 = await lpipsSyn(v, noisy(v, 0.3), { extractor: n.lpips });
  assert.ok(lp1 > 0 && lp2 > lp1, `LPIPS-syn ${lp1} then ${lp2}`);
  assert.ok((await fvdSyn(v, noisy(v, 0.3), { network: n.video })) > 0);
});

Deno.test("fvdSyn() takes every 2nd frame of 17-frame videos and refuses lengths the network cannot take", async () => {
  const n = await nets();
  const a17 = evalClips(3, 17).samples.videos, a9 = evalClips(3, 9).samples.videos;
  const b17 = noisy(a17, 0.2);
  const sub = (v: Video): Video => {
    const size = 16 * 16 * 3;
    const out = new Float32Array(3 * 9 * size);
    for (let i = 0; i < 3; i++) {
      for (let t = 0; t < 9; t++) {
        out.set(v.data.subarray((i * 17 + 2 * t) * size, (i * 17 + 2 * t + 1) * size), (i * 9 + t) * size);
      }
    }
    return { data: out, shape: [3, 9, 16, 16, 3] };
  };
  // The generator's 9-frame clip is the 17-frame clip's every 2nd frame.
  assert.deepEqual(sub(a17).data, a9.data);
  assert.equal(await fvdSyn(a17, b17, { network: n.video }), await fvdSyn(sub(a17), sub(b17), { network: n.video }));
  const a5 = evalClips(3, 5).samples.videos;
  await assert.rejects(() => fvdSyn(a5, a5, { network: n.video }), {
    name: "RangeError",
    message: /the -syn video network takes 9 frames, so videos need \(9 − 1\)·k \+ 1 frames/,
  });
});
