/**
 * `Background Consistency-syn`: VBench's background consistency over the
 * `-syn` image encoder's embeddings of frames with the character removed
 * (CLIP's role).
 *
 * References: VBench (Huang et al., CVPR 2024) §3.1,
 * vbench/background_consistency.py (aggregation); lib/eval featureConsistency.
 */
import type { VbenchScore } from "../features.ts";
import { featureConsistency } from "../feature_consistency.ts";
import { toVideo } from "../video.ts";
import { backgroundCrops } from "./background_crops.ts";
import { maskUnion } from "./mask_union.ts";
import { type MaskedVideos, toMaskBatch } from "./masked_videos.ts";
import type { SynConsistencyOptions } from "./subject_consistency_syn.ts";
import { embedFrames, requireSyn } from "./_embed_frames.ts";

/**
 * featureConsistency over embeddings of the frames with each video's hole
 * (union of its character masks over all frames, dilated by 1 px) filled
 * with grey.
 *
 * @param samples videos [N, F, H, W, C] in [0, 1] and their character masks
 * @param options the `-syn` image network
 * @returns overall and per-video scores in [0, 1]
 * @example
 * ```ts ignore
 * import { backgroundConsistencySyn, loadSynNetworks } from "../mod.ts";
 * const nets = await loadSynNetworks();
 * console.log((await backgroundConsistencySyn({ videos, masks }, { network: nets.image })).score);
 * ```
 */
export async function backgroundConsistencySyn(
  samples: MaskedVideos,
  options: SynConsistencyOptions,
): Promise<VbenchScore> {
  requireSyn(options.network, "Background Consistency-syn");
  const v = toVideo(samples.videos, "videos");
  const holes = maskUnion(toMaskBatch(samples.masks, v.shape));
  return featureConsistency(
    await embedFrames(backgroundCrops(v, holes), options.network, "Background Consistency-syn"),
  );
}
