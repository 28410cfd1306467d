/**
 * `Subject Consistency-syn`: VBench's subject consistency over the `-syn`
 * image encoder's embeddings of character crops (DINO's role).
 *
 * References: VBench (Huang et al., CVPR 2024) §3.1, vbench/subject_consistency.py
 * (aggregation); lib/eval featureConsistency.
 */
import type { FeatureNetwork } from "../feature_network.ts";
import type { VbenchScore } from "../features.ts";
import { featureConsistency } from "../feature_consistency.ts";
import { characterCrops } from "./character_crops.ts";
import type { MaskedVideos } from "./masked_videos.ts";
import { embedFrames, requireSyn } from "./_embed_frames.ts";

/** Options of the `-syn` consistency metrics. */
export interface SynConsistencyOptions {
  /** The `-syn` image encoder (loadSynNetworks(...).image). */
  network: FeatureNetwork;
}

/**
 * Mean over frame pairs of (max(0, cos(f_{t−1}, f_t)) + max(0, cos(f_0, f_t)))/2,
 * f_t the embedding of frame t's character crop (characterCrops at the
 * network's input size).
 *
 * @param samples videos [N, F, H, W, C] in [0, 1] and their character masks [N, F, H, W]
 * @param options the `-syn` image network
 * @returns overall and per-video scores in [0, 1] (1 for a video whose crops never change)
 * @example
 * ```ts ignore
 * import { loadSynNetworks, subjectConsistencySyn } from "../mod.ts";
 * const nets = await loadSynNetworks();
 * console.log((await subjectConsistencySyn({ videos, masks }, { network: nets.image })).score);
 * ```
 */
export async function subjectConsistencySyn(
  samples: MaskedVideos,
  options: SynConsistencyOptions,
): Promise<VbenchScore> {
  requireSyn(options.network, "Subject Consistency-syn");
  const crops = characterCrops(samples, { size: [...options.network.inputSize] as [number, number] });
  return featureConsistency(await embedFrames(crops, options.network, "Subject Consistency-syn"));
}
