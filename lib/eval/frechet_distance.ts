/**
 * Fréchet distance between two feature sets (the formula behind FID and FVD).
 *
 * References: Heusel et al. (NeurIPS 2017) eq. 6; pytorch-fid
 * `calculate_frechet_distance`; Skorokhodov et al., StyleGAN-V (CVPR 2022)
 * FVD with biased covariances.
 */
import { type FeaturesLike, toFeatures } from "./features.ts";
import { gaussianStats } from "./gaussian_stats.ts";
import { frechetDistanceFromStats } from "./frechet_distance_from_stats.ts";
import { helmert, matMul, matMulTransB, symmetricEigen } from "./_linalg.ts";

/** Options of {@link frechetDistance}. */
export interface FrechetDistanceOptions {
  /** "unbiased" (N − 1, pytorch-fid) or "biased" (N, StyleGAN-V's FVD). */
  covariance?: "unbiased" | "biased";
  /**
   * How Tr (Σ1Σ2)^½ is computed; both are exact:
   * "covariance": eigendecompositions of D×D matrices (see frechetDistanceFromStats);
   * "gram": with B1 [N1 − 1, D], B2 [N2 − 1, D] the features expressed in a
   *   Helmert basis (orthonormal rows orthogonal to the ones vector, so that
   *   B1ᵀB1 = A1ᵀA1 for the centred A1 without centring's structural zero)
   *   and C = B1·B2ᵀ, Tr (Σ1Σ2)^½ = Σ √λ(C·Cᵀ) / √(n1·n2) (the nuclear
   *   norm of C): an eigenproblem of size min(N1, N2) − 1;
   * "auto" takes "gram" when min(Na, Nb) <= D (where Σ is singular) and
   *   "covariance" otherwise, so that the eigenproblem solved has full rank.
   */
  method?: "auto" | "covariance" | "gram";
  /** Diagonal offset for the retry when the result is not finite. */
  eps?: number;
  /** Eigen solver (Jacobi up to 128, Householder + QL above, by default). */
  eigenMethod?: "auto" | "jacobi" | "ql";
}

/**
 * d² = ‖μa − μb‖² + Tr Σa + Tr Σb − 2·Tr (ΣaΣb)^½ between Gaussians fitted to
 * two feature sets, in float64; negative rounding residue in eigenvalues is
 * clamped to 0.
 *
 * @param a features [Na, D], Na >= 2
 * @param b features [Nb, D], Nb >= 2
 * @param options covariance normalisation and method
 * @returns the squared Fréchet distance
 * @example
 * ```ts
 * import { frechetDistance } from "./frechet_distance.ts";
 * console.log(frechetDistance([[0], [2]], [[3], [5]])); // 9
 * ```
 */
export function frechetDistance(a: FeaturesLike, b: FeaturesLike, options: FrechetDistanceOptions = {}): number {
  const fa = toFeatures(a, "a");
  const fb = toFeatures(b, "b");
  const [na, d] = fa.shape;
  const [nb, db] = fb.shape;
  if (db !== d) {
    throw new RangeError(
      `Cannot compute the Fréchet distance as a and b need the same feature dimension: received a [${fa.shape}] and b [${fb.shape}]`,
    );
  }
  const covariance = options.covariance ?? "unbiased";
  if (covariance !== "unbiased" && covariance !== "biased") {
    throw new RangeError(`Cannot compute the Fréchet distance: covariance must be "unbiased" or "biased", received ${covariance}`);
  }
  for (const [name, n] of [["a", na], ["b", nb]] as const) {
    if (n < 2) throw new RangeError(`Cannot estimate the covariance of ${name}: need N >= 2 rows, received ${n}`);
  }
  const method = options.method ?? "auto";
  // Each route is exact in theory; in float64 each is accurate to ~1e-15 when
  // its eigenproblem has full rank and to ~1e-8 (√ of rounding noise) when it
  // has exact zero eigenvalues. Σ has rank min(N − 1, D), C has rank
  // min(Na − 1, Nb − 1, D): "auto" takes the full-rank one.
  const useGram = method === "gram" || (method === "auto" && Math.min(na, nb) - 1 < d);
  if (!useGram) {
    return frechetDistanceFromStats(
      gaussianStats(fa, { covariance }),
      gaussianStats(fb, { covariance }),
      { eps: options.eps, eigenMethod: options.eigenMethod },
    );
  }
  const ha = helmert(fa.data, na, d); // (Na − 1, D)
  const hb = helmert(fb.data, nb, d); // (Nb − 1, D)
  const normA = covariance === "unbiased" ? na - 1 : na;
  const normB = covariance === "unbiased" ? nb - 1 : nb;
  let meanTerm = 0;
  for (let j = 0; j < d; j++) meanTerm += (ha.mean[j] - hb.mean[j]) ** 2;
  let trA = 0;
  for (const x of ha.rows) trA += x * x;
  let trB = 0;
  for (const x of hb.rows) trB += x * x;
  const ra = na - 1;
  const rb = nb - 1;
  const c = matMulTransB(ha.rows, hb.rows, ra, d, rb); // Ba·Bbᵀ, (Na − 1, Nb − 1)
  let gram: Float64Array;
  let m: number;
  if (ra <= rb) {
    gram = matMulTransB(c, c, ra, rb, ra); // C·Cᵀ, (Na − 1, Na − 1)
    m = ra;
  } else {
    const ct = new Float64Array(rb * ra);
    for (let i = 0; i < ra; i++) for (let j = 0; j < rb; j++) ct[j * ra + i] = c[i * rb + j];
    gram = matMul(ct, c, rb, ra, rb); // Cᵀ·C, (Nb − 1, Nb − 1)
    m = rb;
  }
  const lambda = symmetricEigen(gram, m, { vectors: false, method: options.eigenMethod }).values;
  let nuclear = 0;
  for (const l of lambda) nuclear += Math.sqrt(Math.max(l, 0));
  const tr = nuclear / Math.sqrt(normA * normB);
  const result = meanTerm + trA / normA + trB / normB - 2 * tr;
  if (Number.isFinite(result)) return result;
  // pytorch-fid's rule: retry with eps·I on both covariances (covariance route).
  return frechetDistanceFromStats(
    gaussianStats(fa, { covariance }),
    gaussianStats(fb, { covariance }),
    { eps: options.eps, eigenMethod: options.eigenMethod },
  );
}
