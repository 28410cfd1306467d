/**
 * The recalibrated thresholds of the `-classical` VBench dimensions, stored
 * next to the `-syn` networks (results/feature_nets/0/calibration.json) and
 * computed by train_feature_nets.ts on the ground truth of realisdance-val-syn:
 *
 * - dynamic degree: the flow-magnitude threshold (as VBench's
 *   thresholdScale·min(H, W)/256 px) that best separates the evaluation
 *   clips (moving) from the generator's static versions of the same clips
 *   (every character frozen in its first pose, camera still, no ball; lights
 *   keep moving), by balanced accuracy of the per-video decision, at each
 *   calibrated clip size;
 * - motion smoothness: the ground-truth videos' own classical score per clip,
 *   the denominator that normalises a run's score (1 = as smooth as the
 *   ground truth).
 *
 * References: VBench dynamic_degree.py (threshold 6·min(H, W)/256 for RAFT at
 * VBench's resolution, round(4F/16) moving pairs) and motion_smoothness.py.
 */

/** The calibration file's format tag. */
export const CALIBRATION_FORMAT = "workbench-classical-calibration-v1";

/** How a threshold decides on a labelled set. */
export interface SeparationStats {
  thresholdScale: number;
  /** Fraction of moving (ground-truth) clips called dynamic. */
  movingDynamic: number;
  /** Fraction of static clips called dynamic. */
  staticDynamic: number;
  /** (movingDynamic + 1 − staticDynamic) / 2. */
  balancedAccuracy: number;
}

/** One calibrated clip size. */
export interface CalibrationEntry {
  size: { frames: number; height: number; width: number };
  /** Evaluation clips used. */
  clips: number;
  dynamicDegree: SeparationStats & {
    /** The threshold in pixels at this size. */
    thresholdPx: number;
    /** VBench's count rule and top-magnitude fraction, unchanged. */
    countRatio: number;
    topFraction: number;
    /** How VBench's own threshold (scale 6) does on the same clips. */
    vbench: SeparationStats;
  };
  motionSmoothness: {
    /** Mean classical score of the ground-truth videos. */
    gtScore: number;
    /** Mean classical score of their static versions (for reference; 1 minus noise). */
    staticScore: number;
    /** Ground-truth score per clip id. */
    perClip: Record<string, number>;
  };
}

/** The whole calibration file. */
export interface ClassicalCalibration {
  format: typeof CALIBRATION_FORMAT;
  set: string;
  generator: string;
  method: { dynamicDegree: string; motionSmoothness: string };
  /** Entries keyed "FxHxW". */
  sizes: Record<string, CalibrationEntry>;
}

/**
 * @param path a calibration.json
 * @returns the calibration, checked for the fields the metrics read
 * @example
 * ```ts ignore
 * import { readClassicalCalibration } from "./classical_calibration.ts";
 * const cal = await readClassicalCalibration("results/feature_nets/0/calibration.json");
 * console.log(cal.sizes["9x32x32"].dynamicDegree.thresholdScale);
 * ```
 */
export async function readClassicalCalibration(path: string): Promise<ClassicalCalibration> {
  let cal: ClassicalCalibration;
  try {
    cal = JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new TypeError(`Cannot read the classical calibration: no file at ${path}`);
    }
    throw new TypeError(`Cannot read the classical calibration ${path}: ${(e as Error).message}`);
  }
  if (cal?.format !== CALIBRATION_FORMAT) {
    throw new TypeError(
      `Cannot read ${path}: format must be "${CALIBRATION_FORMAT}", received ${JSON.stringify(cal?.format)}`,
    );
  }
  for (const [key, e] of Object.entries(cal.sizes ?? {})) {
    const dd = e?.dynamicDegree, ms = e?.motionSmoothness;
    if (!(dd?.thresholdScale > 0) || !(dd.countRatio >= 0) || !(dd.topFraction > 0) || !(ms?.gtScore > 0)) {
      throw new RangeError(
        `Cannot read ${path}: size ${key} needs dynamicDegree.thresholdScale/countRatio/topFraction and motionSmoothness.gtScore`,
      );
    }
  }
  return cal;
}
