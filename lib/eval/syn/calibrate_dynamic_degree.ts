/**
 * Chooses dynamic degree's flow threshold from labelled videos: the one that
 * best separates moving from static clips.
 *
 * References: VBench dynamic_degree.py (check_move: a video is dynamic when
 * at least round(countRatio·F) consecutive pairs have a top-5 % mean flow
 * magnitude above the threshold; threshold = 6·min(H, W)/256 there).
 */
import type { SeparationStats } from "./classical_calibration.ts";

/** Options of {@link calibrateDynamicDegree}. */
export interface CalibrateDynamicDegreeOptions {
  /** Frames F of the videos (for the count rule). */
  frames: number;
  /** min(H, W) of the videos (threshold px = thresholdScale·minSide/256). */
  minSide: number;
  /** VBench's count ratio (default 4/16). */
  countRatio?: number;
}

/**
 * With c = round(countRatio·F) (half to even), a video is dynamic at
 * threshold θ iff its c-th largest pair score exceeds θ. Balanced accuracy
 * (TPR + TNR)/2 is constant between consecutive distinct such values; the
 * best interval wins (ties: the widest in ratio), and θ is its geometric
 * midpoint (half the upper end when the lower end is 0).
 *
 * @param moving per-video pair scores of videos that move ([video][pair], from dynamicDegree's pairScores)
 * @param still per-video pair scores of videos that do not
 * @param options frames, image size and count rule
 * @returns the threshold (as VBench's thresholdScale and in px) and how it separates the two sets
 * @example
 * ```ts
 * import { calibrateDynamicDegree } from "./calibrate_dynamic_degree.ts";
 * // 4 frames → 3 pairs, c = round(1) = 1: the largest pair score decides.
 * const r = calibrateDynamicDegree([[2, 0, 0], [4, 1, 0]], [[0.5, 0, 0], [0, 0, 0]], { frames: 4, minSide: 256 });
 * console.log(r.thresholdPx, r.balancedAccuracy); // 1 1
 * ```
 */
export function calibrateDynamicDegree(
  moving: number[][],
  still: number[][],
  options: CalibrateDynamicDegreeOptions,
): SeparationStats & { thresholdPx: number } {
  const { frames, minSide } = options;
  const countRatio = options.countRatio ?? 4 / 16;
  if (!Number.isInteger(frames) || frames < 2) {
    throw new RangeError(`Cannot calibrate dynamic degree as frames must be an integer >= 2: received ${frames}`);
  }
  if (!(minSide > 0)) {
    throw new RangeError(`Cannot calibrate dynamic degree as minSide must be > 0: received ${minSide}`);
  }
  if (moving.length === 0 || still.length === 0) {
    throw new RangeError(
      `Cannot calibrate dynamic degree: need moving and static videos, received ${moving.length} and ${still.length}`,
    );
  }
  const c = roundHalfEven(countRatio * frames);
  const key = (scores: number[]) => {
    if (scores.length !== frames - 1) {
      throw new RangeError(
        `Cannot calibrate dynamic degree: each video needs ${frames - 1} pair scores, received ${scores.length}`,
      );
    }
    if (c === 0) return Infinity; // VBench's loop: any video with a pair is dynamic
    return [...scores].sort((a, b) => b - a)[c - 1];
  };
  const mv = moving.map(key), sv = still.map(key);
  const stats = (theta: number) => {
    const movingDynamic = mv.filter((v) => v > theta).length / mv.length;
    const staticDynamic = sv.filter((v) => v > theta).length / sv.length;
    return { movingDynamic, staticDynamic, balancedAccuracy: (movingDynamic + 1 - staticDynamic) / 2 };
  };
  const cuts = [...new Set([0, ...mv, ...sv].filter(Number.isFinite))].sort((a, b) => a - b);
  let best = { lo: 0, hi: Infinity, ba: -1 };
  for (let k = 0; k < cuts.length; k++) {
    const lo = cuts[k], hi = k + 1 < cuts.length ? cuts[k + 1] : Infinity;
    const { balancedAccuracy: ba } = stats(lo);
    const wider = ratio(lo, hi) > ratio(best.lo, best.hi);
    if (ba > best.ba + 1e-12 || (Math.abs(ba - best.ba) <= 1e-12 && wider)) best = { lo, hi, ba };
  }
  const thresholdPx = best.hi === Infinity
    ? best.lo * 2 || 1
    : best.lo > 0
    ? Math.sqrt(best.lo * best.hi)
    : best.hi / 2;
  return { thresholdScale: thresholdPx * 256 / minSide, thresholdPx, ...stats(thresholdPx) };
}

/**
 * How a given thresholdScale separates the two sets (e.g. VBench's 6).
 *
 * @param moving per-video pair scores of moving videos
 * @param still per-video pair scores of static videos
 * @param options frames, image size, count rule and the thresholdScale
 * @returns the separation statistics
 * @example
 * ```ts
 * import { separationAt } from "./calibrate_dynamic_degree.ts";
 * console.log(separationAt([[2, 0, 0]], [[0.5, 0, 0]], { frames: 4, minSide: 256, thresholdScale: 6 }).balancedAccuracy); // 0.5
 * ```
 */
export function separationAt(
  moving: number[][],
  still: number[][],
  options: CalibrateDynamicDegreeOptions & { thresholdScale: number },
): SeparationStats {
  const theta = options.thresholdScale * options.minSide / 256;
  const c = roundHalfEven((options.countRatio ?? 4 / 16) * options.frames);
  const dynamic = (s: number[]) => c === 0 || s.filter((x) => x > theta).length >= c;
  const movingDynamic = moving.filter(dynamic).length / moving.length;
  const staticDynamic = still.filter(dynamic).length / still.length;
  return {
    thresholdScale: options.thresholdScale,
    movingDynamic,
    staticDynamic,
    balancedAccuracy: (movingDynamic + 1 - staticDynamic) / 2,
  };
}

function ratio(lo: number, hi: number): number {
  if (hi === Infinity) return 0; // never prefer the open-ended interval on a tie
  return lo > 0 ? hi / lo : hi > 0 ? Number.MAX_VALUE : 1;
}

/** Python 3's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}
