/**
 * `dynamic_degree-classical`: VBench's dynamic degree with pyramidal
 * Lucas–Kanade flow in place of RAFT.
 *
 * Its thresholds are VBench's (calibrated for RAFT on real video) until they
 * are recalibrated on the workbench's synthetic evaluation set; pass them as
 * options to do so.
 *
 * References: vbench/dynamic_degree.py; lucasKanadeFlow.
 */
import { dynamicDegree, type DynamicDegreeOptions, type DynamicDegreeResult } from "./dynamic_degree.ts";
import { lucasKanadeFlow, type LucasKanadeOptions } from "./lucas_kanade_flow.ts";
import type { VideoLike } from "./video.ts";

/** Options of {@link dynamicDegreeClassical}: VBench's thresholds plus the flow's settings. */
export interface DynamicDegreeClassicalOptions extends Omit<DynamicDegreeOptions, "flow"> {
  lucasKanade?: LucasKanadeOptions;
}

/**
 * @param videos [N, F, H, W, C], F >= 2
 * @param options thresholds (defaults: 6·min(H, W)/256 px, round(4F/16) pairs, top 5%) and flow options
 * @returns fraction of dynamic videos, per-video flags and per-pair scores
 * @example
 * ```ts
 * import { dynamicDegreeClassical } from "./dynamic_degree_classical.ts";
 * const still = { data: new Float32Array(3 * 32 * 32).fill(0.5), shape: [1, 3, 32, 32, 1] as [number, number, number, number, number] };
 * console.log((await dynamicDegreeClassical(still)).score); // 0
 * ```
 */
export function dynamicDegreeClassical(
  videos: VideoLike,
  options: DynamicDegreeClassicalOptions = {},
): Promise<DynamicDegreeResult> {
  const { lucasKanade, ...rest } = options;
  return dynamicDegree(videos, { ...rest, flow: (a, b) => lucasKanadeFlow(a, b, lucasKanade) });
}
