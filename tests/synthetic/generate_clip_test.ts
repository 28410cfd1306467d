import assert from "node:assert/strict";
import { generateClip, type SyntheticClip } from "../../lib/synthetic/generate_clip.ts";
import { sampleClipSpec } from "../../lib/synthetic/sample_clip_spec.ts";
import { syntheticClip } from "../../datasets/synthetic/synthetic_sets.ts";
import { DRAWN_LIMBS, OPENPOSE_COLORS, OPENPOSE_LIMBS } from "../../lib/synthetic/draw_openpose_body.ts";
import type { ClipSpec } from "../../lib/synthetic/clip_spec.ts";
import { assertClip } from "../../lib/data/clip.ts";

const NONE = { interaction: 0, lighting: 0, "rare-pose": 0, stylized: 0, "multi-character": 0, "camera-motion": 0 };
const arrays = (c: SyntheticClip) => ({
  video: c.video,
  reference: c.reference,
  skeleton: c.poses.skeleton,
  hands: c.poses.hands,
  body: c.poses.body,
  mask: c.mask,
  keypoints: c.keypoints,
  visibility: c.visibility,
});

Deno.test("syntheticClip() is deterministic: the same set and index give identical bytes", () => {
  const size = { frames: 9, height: 32, width: 32 };
  const a = syntheticClip("realisdance-val-syn", 4, size);
  const b = syntheticClip("realisdance-val-syn", 4, size);
  for (const [k, v] of Object.entries(arrays(a))) {
    assert.deepEqual(
      new Uint8Array(v.buffer),
      new Uint8Array(arrays(b)[k as keyof ReturnType<typeof arrays>].buffer),
      k,
    );
  }
  assert.equal(a.caption, b.caption);
  assert.deepEqual(a.categories, b.categories);
});

Deno.test("syntheticClip() gives different clips for different indices and sets", () => {
  const size = { frames: 5, height: 32, width: 32 };
  const a = syntheticClip("finetune", 0, size),
    b = syntheticClip("finetune", 1, size),
    c = syntheticClip("pretrain", 0, size);
  for (const other of [b, c]) {
    let diff = 0;
    for (let i = 0; i < a.video.length; i++) diff += Math.abs(a.video[i] - other.video[i]);
    assert.ok(diff / a.video.length > 0.02, `mean abs difference ${diff / a.video.length}`);
    assert.notEqual(a.caption, other.caption);
  }
});

Deno.test("generateClip() returns the documented shapes, 8-bit levels in [0, 1] and a binary mask", () => {
  const clip = generateClip(sampleClipSpec(21, { require: ["multi-character"] }), { frames: 5, height: 24, width: 40 });
  assertClip(clip);
  assert.ok(clip.persons >= 2);
  assert.equal(clip.video.length, 5 * 24 * 40 * 3);
  assert.equal(clip.keypoints.length, 5 * clip.persons * 60 * 2);
  for (const a of [clip.video, clip.reference, clip.poses.skeleton, clip.poses.hands, clip.poses.body]) {
    for (const x of a) {
      assert.ok(x >= 0 && x <= 1);
      assert.equal(Math.fround(Math.round(x * 255) / 255), x);
    }
  }
  assert.ok(clip.mask.every((m) => m === 0 || m === 1));
  assert.ok(clip.mask.some((m) => m === 1));
  assert.throws(() => generateClip(sampleClipSpec(1), { frames: 8, height: 32, width: 32 }), /frames must be 4k\+1/);
  assert.throws(
    () => generateClip(sampleClipSpec(1), { frames: 5, height: 4, width: 32 }),
    /height must be an integer in \[8, 1024\]: received 4/,
  );
});

Deno.test("keypoints lie inside the frame wherever they are marked visible", () => {
  let visible = 0, hidden = 0;
  for (let i = 0; i < 12; i++) {
    const clip = syntheticClip("realisdance-val-syn", i, { frames: 9, height: 32, width: 48 });
    const K = clip.keypointsPerPerson;
    for (let n = 0; n < clip.frames * clip.persons * K; n++) {
      const x = clip.keypoints[2 * n], y = clip.keypoints[2 * n + 1];
      if (clip.visibility[n] === 1) {
        visible++;
        assert.ok(
          x >= 0 && x < clip.width && y >= 0 && y < clip.height,
          `visible keypoint ${n} of ${clip.id} at (${x}, ${y})`,
        );
      } else {
        hidden++;
        if (x >= 0 && x < clip.width && y >= 0 && y < clip.height) {
          // Only face points turned away from the camera may be hidden inside the frame.
          assert.ok([0, 14, 15, 16, 17].includes(n % K), `keypoint ${n % K} of ${clip.id} hidden inside the frame`);
        }
      }
    }
  }
  assert.ok(visible > 1000 && hidden > 0, `${visible} visible, ${hidden} hidden`);
});

Deno.test("the mask is exactly the character pixels that differ from the empty background", () => {
  for (const seed of [3, 8, 40]) {
    const spec = sampleClipSpec(seed, { rates: { ...NONE, "multi-character": 0.5, stylized: 0.5 } });
    const size = { frames: 5, height: 48, width: 48 };
    const clip = generateClip(spec, size, { shadows: false });
    const plate: ClipSpec = { ...spec, persons: [], ball: null };
    const bg = generateClip(plate, size, { shadows: false });
    let differing = 0, maskPixels = 0;
    for (let k = 0; k < clip.mask.length; k++) {
      const diff = clip.video[3 * k] !== bg.video[3 * k] || clip.video[3 * k + 1] !== bg.video[3 * k + 1] ||
        clip.video[3 * k + 2] !== bg.video[3 * k + 2];
      if (diff) assert.equal(clip.mask[k], 1, `pixel ${k} differs from the background but is not in the mask`);
      if (clip.mask[k] === 1) {
        maskPixels++;
        if (diff) differing++;
      }
      assert.equal(clip.mask[k], clip.meta.labels[k] >= 1 && clip.meta.labels[k] <= 3 ? 1 : 0);
    }
    assert.ok(maskPixels > 50, `${maskPixels} mask pixels`);
    assert.ok(differing >= 0.99 * maskPixels, `${differing} of ${maskPixels} mask pixels differ from the background`);
  }
});

/** Distance from point p to segment ab. */
function segDist(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / l2)) : 0;
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

Deno.test("the skeleton condition has the OpenPose limb colour (×0.6) at isolated limb midpoints", () => {
  let checked = 0;
  for (const idx of [0, 1, 4, 9]) {
    const clip = syntheticClip("realisdance-val-syn", idx, { frames: 5, height: 128, width: 128 });
    const { width: W, height: H, persons: P } = clip;
    const K = clip.keypointsPerPerson;
    const stick = 1, radius = 1;
    for (let f = 0; f < clip.frames; f++) {
      const kp = (
        n: number,
        k: number,
      ) => [clip.keypoints[((f * P + n) * K + k) * 2], clip.keypoints[((f * P + n) * K + k) * 2 + 1]];
      const vis = (n: number, k: number) => clip.visibility[(f * P + n) * K + k] === 1;
      for (let n = 0; n < P; n++) {
        for (let i = 0; i < DRAWN_LIMBS; i++) {
          const [a, b] = OPENPOSE_LIMBS[i];
          if (!vis(n, a) || !vis(n, b)) continue;
          const [ax, ay] = kp(n, a), [bx, by] = kp(n, b);
          if (Math.hypot(bx - ax, by - ay) < 8) continue;
          const mx = (ax + bx) / 2, my = (ay + by) / 2;
          const px = Math.floor(mx), py = Math.floor(my);
          // Skip midpoints that another limb or any keypoint circle could cover.
          let isolated = true;
          for (let m = 0; m < P && isolated; m++) {
            for (let k = 0; k < 18; k++) {
              if (vis(m, k) && Math.hypot(px + 0.5 - kp(m, k)[0], py + 0.5 - kp(m, k)[1]) < radius + 1.5) {
                isolated = false;
              }
            }
            for (let j = 0; j < DRAWN_LIMBS; j++) {
              if (m === n && j === i) continue;
              const [c, d] = OPENPOSE_LIMBS[j];
              if (!vis(m, c) || !vis(m, d)) continue;
              if (
                segDist(px + 0.5, py + 0.5, ...kp(m, c) as [number, number], ...kp(m, d) as [number, number]) <
                  stick + 1.5
              ) isolated = false;
            }
          }
          if (!isolated || px < 0 || py < 0 || px >= W || py >= H) continue;
          const o = ((f * H + py) * W + px) * 3;
          const got = [0, 1, 2].map((ch) => Math.round(clip.poses.skeleton[o + ch] * 255));
          assert.deepEqual(
            got,
            OPENPOSE_COLORS[i].map((c) => Math.floor(c * 0.6)),
            `limb ${i} of ${clip.id} frame ${f}`,
          );
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 60, `only ${checked} limbs checked`);
});

Deno.test("the floor shadow falls on the side away from a side light", () => {
  let tested = 0;
  for (let seed = 0; seed < 200 && tested < 3; seed++) {
    const spec = sampleClipSpec(seed, { rates: { ...NONE, lighting: 1 } });
    if (spec.light.kind !== "side" || spec.style !== "realistic") continue;
    const size = { frames: 1, height: 64, width: 64 };
    const lit = generateClip(spec, size, { shadows: true });
    const flat = generateClip(spec, size, { shadows: false });
    let sx = 0, n = 0, cx = 0, m = 0;
    for (let k = 0; k < 64 * 64; k++) {
      if (lit.mask[k]) (cx += k % 64), m++;
      if (lit.meta.labels[k] !== 0) continue;
      if (
        lit.video[3 * k] + lit.video[3 * k + 1] + lit.video[3 * k + 2] <
          flat.video[3 * k] + flat.video[3 * k + 1] + flat.video[3 * k + 2] - 0.03
      ) {
        sx += k % 64;
        n++;
      }
    }
    assert.ok(n > 5, `seed ${seed}: ${n} shadow pixels`);
    const fromRight = Math.sin(spec.light.azimuth) > 0;
    const shadowRight = sx / n > cx / m;
    assert.equal(
      shadowRight,
      !fromRight,
      `seed ${seed}: light from ${fromRight ? "right" : "left"}, shadow centroid ${sx / n} vs body ${cx / m}`,
    );
    tested++;
  }
  assert.equal(tested, 3);
});
