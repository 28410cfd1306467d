/**
 * Fréchet Video Distance between two video sets.
 *
 * References: Unterthiner et al., "Towards Accurate Generative Models of
 * Video: A New Metric & Challenges" (2018); Skorokhodov et al., StyleGAN-V
 * (CVPR 2022) §4 and its FVD implementation (I3D 400-d logits of 16-frame
 * clips at 224×224 in [-1, 1], biased covariance) — see NETWORK_PRESETS.fvd.
 */
import type { FeatureNetwork } from "./feature_network.ts";
import { embedVideos } from "./embed_videos.ts";
import { frechetDistance } from "./frechet_distance.ts";
import type { VideoLike } from "./video.ts";

/** Options of {@link fvd}. */
export interface FvdOptions {
  /** A video network; the standard one is I3D (Kinetics-400 logits) loaded with NETWORK_PRESETS.fvd. */
  network: FeatureNetwork;
  /** "biased" (StyleGAN-V, default) or "unbiased". */
  covariance?: "unbiased" | "biased";
  /** "average" (default): logits averaged over the non-overlapping clips of each video; "first": first clip only. */
  clips?: "average" | "first";
}

/**
 * Embeds each video with a video network (one feature vector per video,
 * averaged over its clips) and returns the Fréchet distance between the two
 * sets. Needs at least 2 videos per side (3+ in practice: with N videos the
 * covariance has rank N − 1).
 *
 * @param pred predicted videos [N, F, H, W, C], F >= clipLength
 * @param ref reference videos [M, G, H', W', C'], G >= clipLength
 * @param options the network, covariance normalisation and clip handling
 * @returns the Fréchet distance of the video features
 * @example
 * ```ts ignore
 * import { fvd, loadOnnxNetwork, NETWORK_PRESETS } from "./mod.ts";
 * const network = await loadOnnxNetwork("models/i3d.onnx", { ...NETWORK_PRESETS.fvd, layout: "channels-first" });
 * console.log(await fvd(pred, ref, { network }));
 * ```
 */
export async function fvd(pred: VideoLike, ref: VideoLike, options: FvdOptions): Promise<number> {
  const { network } = options;
  if (network?.kind !== "video") {
    throw new TypeError(`Cannot compute FVD: it needs a video network, received ${network?.name} of kind ${network?.kind}`);
  }
  const a = await embedVideos(pred, network, { clips: options.clips });
  const b = await embedVideos(ref, network, { clips: options.clips });
  return frechetDistance(a, b, { covariance: options.covariance ?? "biased" });
}
