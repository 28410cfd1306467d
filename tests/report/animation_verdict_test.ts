import assert from "node:assert/strict";
import { ANIMATION_THRESHOLD, animationVerdicts } from "../../lib/report/mod.ts";

Deno.test("animationVerdicts() measures each kept step against the reconstruction and applies both conditions", () => {
  const result = {
    bg_psnr_recon: 19,
    pose_missed_recon: 0.5, // the reconstructions show half the keypoints
    "bg_psnr@600": 17.5, // 1.5 dB gap: kept
    "pose_missed@600": 0.8, // 0.2 / 0.5 = 0.4 of the keypoints: not followed
    "bg_psnr@300": 16, // 3 dB gap
    "pose_missed@300": 0.6, // 0.4 / 0.5 = 0.8
    "bg_psnr@1200": 17, // exactly 2 dB
    "pose_missed@1200": 0.65, // exactly 0.7
  };
  const v = animationVerdicts(result);
  assert.deepEqual(v.map((x) => x.step), [300, 600, 1200]);
  assert.deepEqual(v.map((x) => x.bgGapDb), [3, 1.5, 2]);
  assert.ok(Math.abs(v[0].keypointsRatio - 0.8) < 1e-12 && Math.abs(v[1].keypointsRatio - 0.4) < 1e-12);
  assert.ok(Math.abs(v[2].keypointsRatio - 0.7) < 1e-12);
  // 300 fails on the background, 600 on the pose; 1200 sits on both limits (inclusive) — up to rounding of 0.35/0.5.
  assert.deepEqual(v.slice(0, 2).map((x) => x.animates), [false, false]);
  assert.equal(animationVerdicts(result, { bgPsnrGapDb: 2, keypointsRatio: 0.69 })[2].animates, true);
  assert.equal(animationVerdicts(result, { bgPsnrGapDb: 1.9, keypointsRatio: 0.69 })[2].animates, false);
  assert.deepEqual(ANIMATION_THRESHOLD, { bgPsnrGapDb: 2, keypointsRatio: 0.7 });
});

Deno.test("animationVerdicts() refuses a result without kept steps or ceilings, naming the key", () => {
  assert.throws(() => animationVerdicts({ psnr: 14 }), /no number "bg_psnr_recon": received undefined/);
  assert.throws(() => animationVerdicts({ bg_psnr_recon: 19, pose_missed_recon: 0.5 }), /no kept-step key bg_psnr@N/);
  assert.throws(() => animationVerdicts({ bg_psnr_recon: 19, pose_missed_recon: 0.5, "bg_psnr@5": 1 }), /"pose_missed@5"/);
});
