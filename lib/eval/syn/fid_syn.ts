/**
 * `FID-syn`: the Fréchet distance of the `-syn` image encoder's embeddings of
 * all frames of two video sets (Inception-v3's role in FID).
 *
 * References: Heusel et al. (NeurIPS 2017); pytorch-fid (unbiased
 * covariances); lib/eval fid.
 */
import type { FeatureNetwork } from "../feature_network.ts";
import { fid } from "../fid.ts";
import type { VideoLike } from "../video.ts";
import { requireSyn } from "./_embed_frames.ts";

/** Options of {@link fidSyn}. */
export interface FidSynOptions {
  /** The `-syn` image encoder. */
  network: FeatureNetwork;
}

/**
 * @param pred videos [N, F, H, W, C] in [0, 1]
 * @param ref videos [M, G, H', W', C'] (frames are resized to the network's input)
 * @param options the `-syn` image network
 * @returns the Fréchet distance between the frame embeddings (≈ 0 for the same set; sampling noise for two sets of one distribution)
 * @example
 * ```ts ignore
 * import { fidSyn, loadSynNetworks } from "../mod.ts";
 * const nets = await loadSynNetworks();
 * console.log(await fidSyn(pred, ref, { network: nets.image }));
 * ```
 */
export async function fidSyn(pred: VideoLike, ref: VideoLike, options: FidSynOptions): Promise<number> {
  requireSyn(options.network, "FID-syn");
  return await fid(pred, ref, { network: options.network });
}
