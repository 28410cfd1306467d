/**
 * Mean and covariance of a feature set, the Gaussian the Fréchet distance
 * compares.
 *
 * References: pytorch-fid `calculate_activation_statistics`
 * (np.mean(axis=0), np.cov(rowvar=False), i.e. N − 1); StyleGAN-V FVD uses
 * the biased (N) estimate.
 */
import { type FeaturesLike, toFeatures } from "./features.ts";
import { centre } from "./_linalg.ts";

/** A Gaussian fitted to N feature vectors of dimension `dim`; `cov` is row-major [dim, dim]. */
export interface GaussianStats {
  mean: Float64Array;
  cov: Float64Array;
  dim: number;
  count: number;
}

/** Options of {@link gaussianStats}. */
export interface GaussianStatsOptions {
  /** "unbiased" divides by N − 1 (pytorch-fid), "biased" by N (StyleGAN-V's FVD). */
  covariance?: "unbiased" | "biased";
}

/**
 * Fits a Gaussian to features in float64 (two-pass: mean, then centred
 * products).
 *
 * @param features [N, D] with N >= 2
 * @param options covariance normalisation
 * @returns mean [D] and covariance [D, D]
 * @example
 * ```ts
 * import { gaussianStats } from "./gaussian_stats.ts";
 * const s = gaussianStats([[0, 0], [2, 4]]);
 * console.log(Array.from(s.mean), Array.from(s.cov)); // [1, 2] [2, 4, 4, 8]
 * ```
 */
export function gaussianStats(features: FeaturesLike, options: GaussianStatsOptions = {}): GaussianStats {
  const f = toFeatures(features, "features");
  const [n, d] = f.shape;
  const covariance = options.covariance ?? "unbiased";
  if (covariance !== "unbiased" && covariance !== "biased") {
    throw new RangeError(`Cannot fit a Gaussian: covariance must be "unbiased" or "biased", received ${covariance}`);
  }
  if (n < 2) {
    throw new RangeError(`Cannot estimate a covariance from features: need N >= 2 rows, received shape [${f.shape}]`);
  }
  const centred = centre(f.data, n, d);
  const norm = covariance === "unbiased" ? n - 1 : n;
  const cov = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    const row = r * d;
    for (let i = 0; i < d; i++) {
      const xi = centred.values[row + i];
      if (xi === 0) continue;
      for (let j = i; j < d; j++) cov[i * d + j] += xi * centred.values[row + j];
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = cov[i * d + j] / norm;
      cov[i * d + j] = v;
      cov[j * d + i] = v;
    }
  }
  return { mean: centred.mean, cov, dim: d, count: n };
}
