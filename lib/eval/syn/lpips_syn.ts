/**
 * `LPIPS-syn`: the LPIPS formula over the `-syn` image encoder's activation
 * maps (stem and each stage) with uniform unit weights. Not LPIPS: no
 * AlexNet/VGG backbone and no weights learned from human judgements.
 *
 * References: Zhang et al., CVPR 2018, eq. 1; lib/eval lpips.
 */
import { lpips } from "../lpips.ts";
import type { VideoLike } from "../video.ts";
import type { LpipsExtractor } from "../lpips.ts";

/** Options of {@link lpipsSyn}. */
export interface LpipsSynOptions {
  /** The `-syn` extractor (loadSynNetworks(...).lpips). */
  extractor: LpipsExtractor;
  batchSize?: number;
}

/**
 * Σ_l mean_{h,w} ‖x̂_l − ŷ_l‖² over unit-normalised maps, averaged over all
 * frames of all videos.
 *
 * @param pred videos [N, F, H, W, C] in [0, 1]
 * @param ref videos of the same shape
 * @param options the `-syn` extractor
 * @returns mean distance (0 for identical videos)
 * @example
 * ```ts ignore
 * import { loadSynNetworks, lpipsSyn } from "../mod.ts";
 * const nets = await loadSynNetworks();
 * console.log(await lpipsSyn(pred, ref, { extractor: nets.lpips }));
 * ```
 */
export async function lpipsSyn(pred: VideoLike, ref: VideoLike, options: LpipsSynOptions): Promise<number> {
  const { extractor } = options;
  if (extractor?.weights?.some((w) => w.some((x) => x !== 1))) {
    throw new TypeError(
      "Cannot compute LPIPS-syn: its extractor has uniform unit weights (use lpips() for learned weights)",
    );
  }
  return await lpips(pred, ref, { extractor, batchSize: options.batchSize });
}
