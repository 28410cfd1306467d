/**
 * `I2V Subject-syn`: VBench-I2V's i2v_subject over the `-syn` image
 * encoder's embeddings of character crops of the conditioning (reference)
 * image and of every frame (DINO's role).
 *
 * References: VBench++ (Huang et al., 2024) I2V dimensions,
 * vbench2_beta_i2v/i2v_subject.py (aggregation); lib/eval i2vConsistency.
 */
import type { VbenchScore } from "../features.ts";
import { i2vConsistency } from "../i2v_consistency.ts";
import { characterCrops } from "./character_crops.ts";
import type { MaskedVideos, ReferenceImages } from "./masked_videos.ts";
import type { SynConsistencyOptions } from "./subject_consistency_syn.ts";
import { embedFrames, requireSyn } from "./_embed_frames.ts";
import { referenceAsVideo } from "./_reference_video.ts";

/**
 * 0.4·max_t c_t + 0.3·mean s_t + 0.3·min s_t per video, with c_t the clipped
 * cosine between the reference image's character crop and frame t's, s_t
 * between consecutive frames' crops; mean over videos.
 *
 * @param samples videos [N, F, H, W, C] in [0, 1] and their character masks
 * @param reference the conditioning image of each video [N, H', W', 3] and its mask
 * @param options the `-syn` image network
 * @returns overall and per-video scores in [0, 1]
 * @example
 * ```ts ignore
 * import { i2vSubjectSyn, loadSynNetworks } from "../mod.ts";
 * const nets = await loadSynNetworks();
 * console.log((await i2vSubjectSyn({ videos, masks }, { images, masks: imageMasks }, { network: nets.image })).score);
 * ```
 */
export async function i2vSubjectSyn(
  samples: MaskedVideos,
  reference: ReferenceImages,
  options: SynConsistencyOptions,
): Promise<VbenchScore> {
  requireSyn(options.network, "I2V Subject-syn");
  const size = [...options.network.inputSize] as [number, number];
  const frames = await embedFrames(characterCrops(samples, { size }), options.network, "I2V Subject-syn");
  const images = await embedFrames(
    characterCrops(referenceAsVideo(reference, frames.shape[0]), { size }),
    options.network,
    "I2V Subject-syn",
  );
  return i2vConsistency({ data: images.data, shape: [images.shape[0], images.shape[2]] }, frames);
}
