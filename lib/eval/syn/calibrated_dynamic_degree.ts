/**
 * `Dynamic Degree-classical`: VBench's dynamic degree on pyramidal
 * Lucas–Kanade flow, with the threshold recalibrated on the synthetic
 * evaluation set for the videos' size (see classical_calibration.ts).
 *
 * References: vbench/dynamic_degree.py; lib/eval dynamicDegreeClassical.
 */
import type { DynamicDegreeResult } from "../dynamic_degree.ts";
import { dynamicDegreeClassical } from "../dynamic_degree_classical.ts";
import type { LucasKanadeOptions } from "../lucas_kanade_flow.ts";
import { toVideo, type VideoLike } from "../video.ts";
import type { ClassicalCalibration } from "./classical_calibration.ts";
import { selectCalibration } from "./select_calibration.ts";

/** Options of {@link calibratedDynamicDegree}. */
export interface CalibratedDynamicDegreeOptions {
  /** The stored calibration (loadSynNetworks(...).calibration); null uses VBench's threshold scale 6. */
  calibration: ClassicalCalibration | null;
  lucasKanade?: LucasKanadeOptions;
}

/** The result, with the calibration entry used ("FxHxW", or null for VBench's defaults). */
export interface CalibratedDynamicDegreeResult extends DynamicDegreeResult {
  calibration: string | null;
  thresholdScale: number;
}

/**
 * @param videos [N, F, H, W, C], F >= 2
 * @param options the calibration and flow options
 * @returns fraction of dynamic videos, flags, pair scores, and which calibration was used
 * @example
 * ```ts
 * import { calibratedDynamicDegree } from "./calibrated_dynamic_degree.ts";
 * const still = { data: new Float32Array(3 * 32 * 32).fill(0.5), shape: [1, 3, 32, 32, 1] as [number, number, number, number, number] };
 * console.log((await calibratedDynamicDegree(still, { calibration: null })).score); // 0
 * ```
 */
export async function calibratedDynamicDegree(
  videos: VideoLike,
  options: CalibratedDynamicDegreeOptions,
): Promise<CalibratedDynamicDegreeResult> {
  const v = toVideo(videos, "videos");
  const [, frames, height, width] = v.shape;
  const picked = options.calibration ? selectCalibration(options.calibration, { frames, height, width }) : null;
  const dd = picked?.entry.dynamicDegree;
  const thresholdScale = dd?.thresholdScale ?? 6;
  const r = await dynamicDegreeClassical(v, {
    thresholdScale,
    countRatio: dd?.countRatio,
    topFraction: dd?.topFraction,
    lucasKanade: options.lucasKanade,
  });
  return { ...r, calibration: picked?.key ?? null, thresholdScale };
}
