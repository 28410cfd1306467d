import assert from "node:assert/strict";
import { syntheticClip } from "../../datasets/synthetic/synthetic_sets.ts";
import { syntheticLongClip } from "../../datasets/synthetic/synthetic_long_clip.ts";

Deno.test("syntheticLongClip() continues a clip at its own frame rate: its first T frames are the T-frame clip's", () => {
  const size = { height: 16, width: 16 };
  const short = syntheticClip("realisdance-val-syn", 3, { frames: 9, ...size });
  const long = syntheticLongClip("realisdance-val-syn", 3, { frames: 17, ...size }, { clipFrames: 9 });
  const n = 9 * 16 * 16 * 3;
  assert.equal(long.frames, 17);
  assert.equal(long.id, "realisdance-val-syn/0003@17x9");
  assert.deepStrictEqual(long.video.subarray(0, n), short.video);
  for (const p of ["skeleton", "hands", "body"] as const) assert.deepStrictEqual(long.poses[p].subarray(0, n), short.poses[p]);
  assert.deepStrictEqual(long.reference, short.reference);
  assert.equal(long.caption, short.caption);
  // Later frames move on (not the same two seconds sampled more densely).
  assert.notDeepStrictEqual(long.video.subarray(n, n + n / 9), short.video.subarray(n - n / 9));
});

Deno.test("syntheticLongClip() rejects a clip length < 2 and N shorter than it", () => {
  const size = { frames: 9, height: 16, width: 16 };
  assert.throws(() => syntheticLongClip("finetune", 0, size, { clipFrames: 1 }), /1-frame clip: expected an integer >= 2/);
  assert.throws(() => syntheticLongClip("finetune", 0, { ...size, frames: 5 }, { clipFrames: 9 }), /long clip of 5 frames from 9-frame clips: expected an integer >= 9/);
});
