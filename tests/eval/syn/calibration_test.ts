import assert from "node:assert/strict";
import {
  calibratedDynamicDegree,
  calibratedMotionSmoothness,
  calibrateDynamicDegree,
  readClassicalCalibration,
  selectCalibration,
  separationAt,
  type Video,
} from "../../../lib/eval/mod.ts";
import { calibrateSize, stillSpec } from "../../../lib/eval/syn/_calibration.ts";
import { generateClip } from "../../../lib/synthetic/mod.ts";
import { setClipSpec } from "../../../datasets/synthetic/mod.ts";
import { tinyCalibration } from "./_tiny_nets.ts";

Deno.test("calibrateDynamicDegree() picks the geometric middle of the best-separating interval of the c-th largest pair score", () => {
  // F = 9 → c = round(2.25) = 2: the 2nd-largest pair score decides. Moving: 3, 2; static: 0.5, 0.
  const pad = (a: number, b: number) => [a, b, 0, 0, 0, 0, 0, 0];
  const r = calibrateDynamicDegree([pad(5, 3), pad(2, 4)], [pad(9, 0.5), pad(0, 0)], { frames: 9, minSide: 32 });
  // Best interval [0.5, 2): θ = √(0.5·2) = 1 px = 8·32/256.
  assert.equal(r.thresholdPx, 1);
  assert.equal(r.thresholdScale, 8);
  assert.deepEqual([r.movingDynamic, r.staticDynamic, r.balancedAccuracy], [1, 0, 1]);
  // Overlapping sets (moving 3, 1; static 0.5, 2): [0.5, 1) and [2, 3) both reach 0.75; the wider ratio wins.
  const o = calibrateDynamicDegree([pad(3, 3), pad(1, 1)], [pad(0.5, 0.5), pad(2, 2)], { frames: 9, minSide: 256 });
  assert.equal(o.balancedAccuracy, 0.75);
  assert.equal(o.thresholdPx, Math.sqrt(0.5 * 1));
  // VBench's own threshold on the first sets: 6·32/256 = 0.75 px → static 0.5 is below, moving 2 above.
  assert.equal(
    separationAt([pad(5, 3), pad(2, 4)], [pad(9, 0.5), pad(0, 0)], { frames: 9, minSide: 32, thresholdScale: 6 })
      .balancedAccuracy,
    1,
  );
  assert.throws(() => calibrateDynamicDegree([pad(1, 1)], [[1, 2]], { frames: 9, minSide: 32 }), {
    name: "RangeError",
    message: /each video needs 8 pair scores, received 2/,
  });
});

/** A 32×32 smooth texture translated by `dx` px per frame, F frames. */
function translating(frames: number, dx: number): Video {
  const data = new Float32Array(frames * 32 * 32);
  for (let t = 0; t < frames; t++) {
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        data[(t * 32 + y) * 32 + x] = 0.5 + 0.25 * Math.sin((x - dx * t) / 3) * Math.cos(y / 4);
      }
    }
  }
  return { data, shape: [1, frames, 32, 32, 1] };
}

Deno.test("calibratedDynamicDegree() applies the stored threshold of the videos' size", async () => {
  const v = translating(9, 1); // ≈ 1 px per pair
  const low = tinyCalibration({ frames: 9, height: 32, width: 32 }, 2); // 0.25 px
  const high = tinyCalibration({ frames: 9, height: 32, width: 32 }, 40); // 5 px
  const a = await calibratedDynamicDegree(v, { calibration: low });
  assert.deepEqual([a.score, a.calibration, a.thresholdScale], [1, "9x32x32", 2]);
  const b = await calibratedDynamicDegree(v, { calibration: high });
  assert.deepEqual([b.score, b.thresholdScale], [0, 40]);
  // A 5-frame video uses the 9-frame entry of the same resolution; another resolution falls back to VBench's 6.
  assert.equal((await calibratedDynamicDegree(translating(5, 1), { calibration: high })).calibration, "9x32x32");
  assert.equal(selectCalibration(high, { frames: 9, height: 64, width: 64 }), null);
  const none = await calibratedDynamicDegree(v, { calibration: null });
  assert.deepEqual([none.calibration, none.thresholdScale, none.score], [null, 6, 1]);
});

Deno.test("calibratedMotionSmoothness() divides by the stored ground-truth scores of the same clips, or by the reference's", async () => {
  const v = translating(9, 1.5);
  const cal = tinyCalibration({ frames: 9, height: 32, width: 32 }, 6, { "realisdance-val-syn/0000": 0.8, "x/1": 0.9 });
  const r = await calibratedMotionSmoothness(v, { calibration: cal, ids: ["realisdance-val-syn/0000"] });
  assert.equal(r.gtSource, "calibration");
  assert.equal(r.gtScore, 0.8);
  assert.equal(r.score, r.raw.score / 0.8);
  assert.ok(r.raw.score > 0.5 && r.raw.score <= 1);
  // Unknown id → computed from the reference videos (here the same video: normalised score exactly 1).
  const s = await calibratedMotionSmoothness(v, { calibration: cal, ids: ["realisdance-val-syn/0042"], reference: v });
  assert.deepEqual([s.gtSource, s.score], ["reference", 1]);
  await assert.rejects(() => calibratedMotionSmoothness(v, { calibration: null }), {
    name: "RangeError",
    message: /pass options.reference/,
  });
});

Deno.test("readClassicalCalibration() reads the stored file and rejects other formats", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/c.json`,
    JSON.stringify(tinyCalibration({ frames: 9, height: 32, width: 32 }, 7.25)),
  );
  assert.equal((await readClassicalCalibration(`${dir}/c.json`)).sizes["9x32x32"].dynamicDegree.thresholdScale, 7.25);
  await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify({ format: "other" }));
  await assert.rejects(() => readClassicalCalibration(`${dir}/bad.json`), {
    name: "TypeError",
    message: /format must be/,
  });
  const broken = tinyCalibration({ frames: 9, height: 32, width: 32 }, 7.25);
  (broken.sizes["9x32x32"].dynamicDegree as { thresholdScale: number }).thresholdScale = -1;
  await Deno.writeTextFile(`${dir}/broken.json`, JSON.stringify(broken));
  await assert.rejects(() => readClassicalCalibration(`${dir}/broken.json`), {
    name: "RangeError",
    message: /size 9x32x32 needs/,
  });
  await assert.rejects(() => readClassicalCalibration(`${dir}/none.json`), {
    name: "TypeError",
    message: /no file at/,
  });
});

Deno.test("stillSpec() keeps the first frame's scene and pose: static clips have identical masks (and frames under a fixed light)", () => {
  let checkedFixedLight = false, checkedMovingLight = false;
  for (let i = 0; i < 12 && !(checkedFixedLight && checkedMovingLight); i++) {
    const spec = setClipSpec("realisdance-val-syn", i);
    const still = generateClip(stillSpec(spec), { frames: 5, height: 16, width: 16 });
    const first = generateClip(spec, { frames: 1, height: 16, width: 16 });
    const px = 256;
    for (let t = 1; t < 5; t++) assert.deepEqual(still.mask.subarray(t * px, (t + 1) * px), still.mask.subarray(0, px));
    if (spec.light.kind !== "moving" && !spec.ball) {
      // Frame 0 of the still clip is the real clip's frame 0, and nothing changes after it.
      assert.deepEqual(still.video.subarray(0, px * 3), first.video);
      for (let t = 1; t < 5; t++) assert.deepEqual(still.video.subarray(t * px * 3, (t + 1) * px * 3), first.video);
      checkedFixedLight = true;
    } else if (spec.light.kind === "moving") checkedMovingLight = true;
  }
  assert.ok(checkedFixedLight && checkedMovingLight);
});

Deno.test("calibrateSize() separates moving ground truth from still clips on a few evaluation clips", async () => {
  const e = await calibrateSize({ frames: 5, height: 16, width: 16 }, 4);
  assert.equal(e.clips, 4);
  assert.ok(e.dynamicDegree.thresholdScale > 0);
  assert.ok(e.dynamicDegree.balancedAccuracy >= e.dynamicDegree.vbench.balancedAccuracy);
  assert.deepEqual(Object.keys(e.motionSmoothness.perClip), [0, 1, 2, 3].map((i) => `realisdance-val-syn/000${i}`));
  assert.ok(e.motionSmoothness.staticScore >= e.motionSmoothness.gtScore);
});
