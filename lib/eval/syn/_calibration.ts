/**
 * Builds the classical dimensions' calibration on realisdance-val-syn ground
 * truth (private to lib/eval/syn; see classical_calibration.ts for what is
 * stored and why).
 *
 * References: VBench dynamic_degree.py / motion_smoothness.py; the
 * generator's specs (a still version of a clip freezes every oscillator at
 * its t = 0 value and the camera, and drops the ball).
 */
import type { ClipSpec } from "../../synthetic/clip_spec.ts";
import { type ClipSize, generateClip } from "../../synthetic/generate_clip.ts";
import { EVAL_SET_SIZE, setClipSpec } from "../../../datasets/synthetic/synthetic_sets.ts";
import { GENERATOR_VERSION } from "../../synthetic/version.ts";
import { dynamicDegreeClassical } from "../dynamic_degree_classical.ts";
import { motionSmoothnessClassical } from "../motion_smoothness_classical.ts";
import type { Video } from "../video.ts";
import { calibrateDynamicDegree, separationAt } from "./calibrate_dynamic_degree.ts";
import { CALIBRATION_FORMAT, type CalibrationEntry, type ClassicalCalibration } from "./classical_calibration.ts";

export const CALIBRATION_METHOD = {
  dynamicDegree:
    "Per calibrated size, the 100 realisdance-val-syn ground-truth clips (label: moving) and the generator's static version of each (every character frozen in its t = 0 pose — oscillator frequencies and spin set to 0 — camera still, no ball; lights keep their motion) (label: static) get Lucas–Kanade pair scores (mean of the top 5 % flow magnitudes). VBench's rule is kept (dynamic when round(4F/16) pairs exceed the threshold); the threshold is the geometric midpoint of the interval of thresholds with the best balanced accuracy (widest interval on ties), stored as VBench's thresholdScale (px = scale·min(H, W)/256).",
  motionSmoothness:
    "The classical score (Lucas–Kanade flow-warped midpoint vs the real odd frames) of each ground-truth clip is stored; a run's Motion Smoothness-classical is its mean raw score divided by the mean ground-truth score of the same clips (1 = as smooth as the ground truth; static videos score above 1).",
};

/** The still version of a clip spec: same scene and first pose, nothing moves except the lights. */
export function stillSpec(spec: ClipSpec): ClipSpec {
  return {
    ...spec,
    ball: null,
    camera: { ...spec.camera, kind: "static" },
    persons: spec.persons.map((p) => ({
      ...p,
      motion: { ...p.motion, yawRate: 0, osc: p.motion.osc.map((o) => ({ ...o, freq: 0 })) },
    })),
  };
}

function stack(clips: { video: Float32Array }[], size: ClipSize): Video {
  const per = size.frames * size.height * size.width * 3;
  const data = new Float32Array(clips.length * per);
  clips.forEach((c, i) => data.set(c.video, i * per));
  return { data, shape: [clips.length, size.frames, size.height, size.width, 3] };
}

/** Calibrates one clip size on the first `count` evaluation clips. */
export async function calibrateSize(
  size: ClipSize,
  count = EVAL_SET_SIZE,
  log?: (s: string) => void,
): Promise<CalibrationEntry> {
  const ids: string[] = [];
  const moving = [], still = [];
  for (let i = 0; i < count; i++) {
    const spec = setClipSpec("realisdance-val-syn", i);
    ids.push(`realisdance-val-syn/${String(i).padStart(4, "0")}`);
    moving.push(generateClip(spec, size));
    still.push(generateClip(stillSpec(spec), size));
  }
  const mv = stack(moving, size), sv = stack(still, size);
  const t0 = performance.now();
  const ddMoving = await dynamicDegreeClassical(mv);
  const ddStill = await dynamicDegreeClassical(sv);
  const opts = { frames: size.frames, minSide: Math.min(size.height, size.width) };
  const best = calibrateDynamicDegree(ddMoving.pairScores, ddStill.pairScores, opts);
  const vbench = separationAt(ddMoving.pairScores, ddStill.pairScores, { ...opts, thresholdScale: 6 });
  const msMoving = await motionSmoothnessClassical(mv);
  const msStill = await motionSmoothnessClassical(sv);
  log?.(`calibrated ${size.frames}x${size.height}x${size.width} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const perClip: Record<string, number> = {};
  ids.forEach((id, i) => (perClip[id] = msMoving.perVideo[i]));
  return {
    size: { frames: size.frames, height: size.height, width: size.width },
    clips: count,
    dynamicDegree: { ...best, countRatio: 4 / 16, topFraction: 0.05, vbench },
    motionSmoothness: { gtScore: msMoving.score, staticScore: msStill.score, perClip },
  };
}

/** The whole calibration for the given sizes. */
export async function buildCalibration(
  sizes: readonly ClipSize[],
  log?: (s: string) => void,
): Promise<ClassicalCalibration> {
  const out: ClassicalCalibration = {
    format: CALIBRATION_FORMAT,
    set: "realisdance-val-syn",
    generator: GENERATOR_VERSION,
    method: CALIBRATION_METHOD,
    sizes: {},
  };
  for (const size of sizes) {
    out.sizes[`${size.frames}x${size.height}x${size.width}`] = await calibrateSize(size, EVAL_SET_SIZE, log);
  }
  return out;
}
