import assert from "node:assert/strict";
import { keptStepCurves } from "../../lib/report/mod.ts";

Deno.test("keptStepCurves() reads each kept step's scores, the reconstruction's ceiling and the first step that animates", () => {
  const result = {
    psnr_recon: 20, ssim_recon: 0.6, bg_psnr_recon: 19, background_recon: 0.9, pose_missed_recon: 0.5, pose_error_recon: 0.1,
    "psnr@1200": 17, "bg_psnr@1200": 17.2, "pose_missed@1200": 0.62, "val_loss@1200": 0.39,
    "psnr@300": 14, "bg_psnr@300": 15, "pose_missed@300": 0.8, "val_loss@300": 0.43, "ssim@300": 0.25,
    "psnr@600": 15, "bg_psnr@600": 16, "pose_missed@600": 0.7,
  };
  const c = keptStepCurves(result);
  assert.deepEqual(c.rows.map((r) => r.step), [300, 600, 1200]);
  assert.deepEqual(c.rows.map((r) => r.scores.psnr), [14, 15, 17]);
  assert.deepEqual(c.rows.map((r) => r.scores.ssim), [0.25, null, null]);
  assert.deepEqual(c.rows.map((r) => r.scores.val_loss), [0.43, null, 0.39]);
  assert.ok(Math.abs(c.rows[2].keypointsFound! - 0.38) < 1e-12);
  // 1200: gap 1.8 dB, keypoints 0.38 / 0.5 = 0.76 → animates; 600: gap 3 dB.
  assert.deepEqual(c.rows.map((r) => r.animates), [false, false, true]);
  assert.equal(c.firstAnimating, 1200);
  assert.deepEqual(c.ceiling, { psnr: 20, ssim: 0.6, bg_psnr: 19, background: 0.9, pose_missed: 0.5, pose_error: 0.1, keypointsFound: 0.5 });
  // A stricter threshold: nothing animates.
  assert.equal(keptStepCurves(result, { bgPsnrGapDb: 1, keypointsRatio: 0.7 }).firstAnimating, null);
});
