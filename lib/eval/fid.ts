/**
 * Fréchet Inception Distance over all frames of two video sets.
 *
 * References: Heusel et al., "GANs Trained by a Two Time-Scale Update Rule
 * Converge to a Local Nash Equilibrium" (NeurIPS 2017); pytorch-fid
 * (Inception-v3 pool3, 2048-d, inputs resized to 299×299 bilinear and
 * scaled to [-1, 1]) — see NETWORK_PRESETS.fid.
 */
import type { FeatureNetwork } from "./feature_network.ts";
import { embedVideos } from "./embed_videos.ts";
import { frechetDistance } from "./frechet_distance.ts";
import type { VideoLike } from "./video.ts";

/** Options of {@link fid}. */
export interface FidOptions {
  /** An image network; the standard one is Inception-v3 pool3 loaded with NETWORK_PRESETS.fid. */
  network: FeatureNetwork;
  /** "unbiased" (pytorch-fid, default) or "biased". */
  covariance?: "unbiased" | "biased";
}

/**
 * Embeds every frame of pred and ref with an image network and returns the
 * Fréchet distance between the two feature sets. With a network other than
 * the FID Inception the number is not "FID" and should be reported under
 * the network's name (e.g. `fid-syn`).
 *
 * @param pred predicted videos [N, F, H, W, C]
 * @param ref reference videos [M, G, H', W', C'] (sizes may differ: frames are resized by the network)
 * @param options the network and covariance normalisation
 * @returns the Fréchet distance of the frame features
 * @example
 * ```ts ignore
 * import { fid, loadGraphModelNetwork, NETWORK_PRESETS } from "./mod.ts";
 * const network = await loadGraphModelNetwork("models/inception/model.json", NETWORK_PRESETS.fid);
 * console.log(await fid(pred, ref, { network }));
 * ```
 */
export async function fid(pred: VideoLike, ref: VideoLike, options: FidOptions): Promise<number> {
  const { network } = options;
  if (network?.kind !== "image") {
    throw new TypeError(`Cannot compute FID: it needs an image network, received ${network?.name} of kind ${network?.kind}`);
  }
  const a = await embedVideos(pred, network);
  const b = await embedVideos(ref, network);
  return frechetDistance(a, b, { covariance: options.covariance ?? "unbiased" });
}
