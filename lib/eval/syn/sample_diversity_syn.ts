/**
 * `Diversity-syn`: how different the samples of the same condition are when
 * only the noise seed changes — the mean pairwise cosine distance of the
 * `-syn` image encoder's embeddings of the same frame of the same clip
 * sampled with different seeds.
 *
 * References: RealisDance-DiT (2025) §4.3 (long training loses diversity);
 * the mean pairwise feature distance of conditional-diversity measures
 * (e.g. LPIPS diversity in BicycleGAN, Zhu et al. 2017 §5, here with the
 * `-syn` encoder's embeddings and the cosine distance).
 */
import type { FeatureNetwork } from "../feature_network.ts";
import type { VbenchScore } from "../features.ts";
import { toVideo, type VideoLike } from "../video.ts";
import { embedFrames, requireSyn } from "./_embed_frames.ts";

/** Options of {@link sampleDiversitySyn}. */
export interface SampleDiversitySynOptions {
  /** The `-syn` image encoder (loadSynNetworks(...).image). */
  network: FeatureNetwork;
}

/**
 * For S ≥ 2 sample sets of the same N clips (set s sampled with seed s), per
 * clip n the mean over frames f and seed pairs s < t of
 * d = ½‖e_{s,n,f}/‖e_{s,n,f}‖ − e_{t,n,f}/‖e_{t,n,f}‖‖² = 1 − cos(e_{s,n,f}, e_{t,n,f}),
 * e the image encoder's embedding of the whole frame; the score is the mean
 * over clips. 0 when every seed gives the same frames, at most 2.
 *
 * @param samples S video batches [N, F, H, W, C] in [0, 1], the same clips in the same order
 * @param options the `-syn` image encoder
 * @returns overall and per-clip diversity
 * @example
 * ```ts ignore
 * import { loadSynNetworks, sampleDiversitySyn } from "./mod.ts";
 * const nets = await loadSynNetworks();
 * console.log((await sampleDiversitySyn([seed0, seed1, seed2], { network: nets.image })).score);
 * ```
 */
export async function sampleDiversitySyn(
  samples: readonly VideoLike[],
  options: SampleDiversitySynOptions,
): Promise<VbenchScore> {
  requireSyn(options.network, "Diversity-syn");
  if (!Array.isArray(samples) || samples.length < 2) {
    throw new RangeError(`Cannot compute Diversity-syn: it needs >= 2 sample sets (seeds), received ${samples?.length}`);
  }
  const videos = samples.map((s, i) => toVideo(s, `samples[${i}]`));
  const shape = videos[0].shape;
  videos.forEach((v, i) => {
    if (v.shape.some((d, j) => d !== shape[j])) {
      throw new RangeError(`Cannot compute Diversity-syn: samples[${i}] is [${v.shape}], samples[0] is [${shape}]; they must match`);
    }
  });
  const [n, f] = shape;
  const unit = [];
  for (const v of videos) {
    const e = await embedFrames(v, options.network, "Diversity-syn"); // (N, F, D)
    const d = e.shape[2];
    const u = new Float64Array(e.data.length);
    for (let r = 0; r < n * f; r++) {
      let norm = 0;
      for (let j = 0; j < d; j++) norm += e.data[r * d + j] ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < d; j++) u[r * d + j] = e.data[r * d + j] / norm;
    }
    unit.push({ u, d });
  }
  const d = unit[0].d;
  const perVideo: number[] = [];
  for (let c = 0; c < n; c++) {
    let sum = 0, count = 0;
    for (let fr = 0; fr < f; fr++) {
      const row = (c * f + fr) * d;
      for (let s = 0; s < unit.length; s++) {
        for (let t = s + 1; t < unit.length; t++) {
          let sq = 0;
          for (let j = 0; j < d; j++) sq += (unit[s].u[row + j] - unit[t].u[row + j]) ** 2;
          sum += sq / 2;
          count++;
        }
      }
    }
    perVideo.push(sum / count);
  }
  return { score: perVideo.reduce((a, b) => a + b, 0) / n, perVideo };
}
