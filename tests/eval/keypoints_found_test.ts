import assert from "node:assert/strict";
import { keypointsFound } from "../../lib/eval/mod.ts";

Deno.test("keypointsFound() counts keypoints scored >= minScore over every frame, per clip, with the standard error over clips", () => {
  // Two clips of two frames with three keypoints each: clip 0 finds 4 of 6, clip 1 finds 1 of 6.
  const s = keypointsFound(
    [{ scores: [0.9, 0.3, 0.1] }, { scores: [0.5, 0.4, 0.2] }, { scores: [0.29, 0, 0] }, { scores: [1, 0.1, 0.1] }],
    { clips: 2, minScore: 0.3 },
  );
  assert.deepEqual(s.keypoints_found_per_clip, [4 / 6, 1 / 6]);
  assert.equal(s.keypoints_found, 5 / 12);
  assert.ok(Math.abs(s.keypoint_score - 3.89 / 12) < 1e-12);
  // sd of (2/3, 1/6) = √(2·(1/4)²) = 0.3536; / √2 = 0.25.
  assert.ok(Math.abs(s.keypoints_found_se - 0.25) < 1e-15);
  assert.throws(() => keypointsFound([{ scores: [1] }, { scores: [1] }, { scores: [1] }], { clips: 2, minScore: 0.3 }), /3 detections in 2 clips/);
  assert.throws(() => keypointsFound([{ scores: [1] }, { scores: [1, 2] }], { clips: 2, minScore: 0.3 }), /same keypoints/);
});
