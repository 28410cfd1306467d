/**
 * `I2V Background-syn`: VBench-I2V's i2v_background over the `-syn` image
 * encoder's embeddings of the reference image and the frames with the
 * character removed (DreamSim's role).
 *
 * References: VBench++ (Huang et al., 2024) I2V dimensions,
 * vbench2_beta_i2v/i2v_background.py (aggregation); lib/eval i2vConsistency.
 */
import type { VbenchScore } from "../features.ts";
import { i2vConsistency } from "../i2v_consistency.ts";
import { toVideo } from "../video.ts";
import { backgroundCrops } from "./background_crops.ts";
import { maskUnion } from "./mask_union.ts";
import { type MaskedVideos, type ReferenceImages, toMaskBatch } from "./masked_videos.ts";
import type { SynConsistencyOptions } from "./subject_consistency_syn.ts";
import { embedFrames, requireSyn } from "./_embed_frames.ts";
import { referenceAsVideo } from "./_reference_video.ts";

/**
 * i2vConsistency of the background views: one hole per video, the union of
 * its frames' and its reference image's character masks (dilated 1 px),
 * blanked in the reference image and in every frame.
 *
 * @param samples videos [N, F, H, W, C] in [0, 1] and their character masks
 * @param reference the conditioning image of each video [N, H, W, 3] (same H, W as the videos) and its mask
 * @param options the `-syn` image network
 * @returns overall and per-video scores in [0, 1]
 * @example
 * ```ts ignore
 * import { i2vBackgroundSyn, loadSynNetworks } from "../mod.ts";
 * const nets = await loadSynNetworks();
 * console.log((await i2vBackgroundSyn({ videos, masks }, { images, masks: imageMasks }, { network: nets.image })).score);
 * ```
 */
export async function i2vBackgroundSyn(
  samples: MaskedVideos,
  reference: ReferenceImages,
  options: SynConsistencyOptions,
): Promise<VbenchScore> {
  requireSyn(options.network, "I2V Background-syn");
  const v = toVideo(samples.videos, "videos");
  const masks = toMaskBatch(samples.masks, v.shape);
  const [n, , h, w] = v.shape;
  const ref = referenceAsVideo(reference, n);
  const [, , rh, rw] = ref.masks.shape;
  if (rh !== h || rw !== w) {
    throw new RangeError(
      `Cannot compute I2V Background-syn: reference images are ${rh}×${rw}, the videos ${h}×${w}; they must match`,
    );
  }
  const holes = maskUnion(masks, { extra: reference.masks });
  const frames = await embedFrames(backgroundCrops(v, holes), options.network, "I2V Background-syn");
  const images = await embedFrames(backgroundCrops(ref.videos, holes), options.network, "I2V Background-syn");
  return i2vConsistency({ data: images.data, shape: [n, images.shape[2]] }, frames);
}
