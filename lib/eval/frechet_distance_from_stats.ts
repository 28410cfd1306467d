/**
 * Fréchet distance between two Gaussians given by their statistics.
 *
 * References: Dowson & Landau (1982); Heusel et al., "GANs Trained by a Two
 * Time-Scale Update Rule…" (NeurIPS 2017) eq. 6; pytorch-fid
 * `calculate_frechet_distance` (the 1e-6·I retry when the result is not finite).
 */
import type { GaussianStats } from "./gaussian_stats.ts";
import { matMul, symmetricEigen } from "./_linalg.ts";

/** Options of {@link frechetDistanceFromStats}. */
export interface FrechetFromStatsOptions {
  /** Diagonal offset added to both covariances when the first result is not finite. */
  eps?: number;
  /** Eigen solver: Jacobi for D <= 128 and Householder + QL above ("auto"), or forced. */
  eigenMethod?: "auto" | "jacobi" | "ql";
}

/**
 * d² = ‖μ1 − μ2‖² + Tr Σ1 + Tr Σ2 − 2·Tr (Σ1Σ2)^½, with
 * Tr (Σ1Σ2)^½ = Σ √λ_i(Σ1^½ Σ2 Σ1^½) from two symmetric eigendecompositions
 * in float64 (Σ1 = V diag(λ) Vᵀ, Σ1^½ = V diag(√λ) Vᵀ). Tiny negative
 * eigenvalues that rounding leaves in these positive semi-definite matrices
 * are clamped to 0 before the square roots. If the result is not finite,
 * eps·I is added to both covariances and it is recomputed (pytorch-fid's rule).
 *
 * @param s1 first Gaussian
 * @param s2 second Gaussian of the same dimension
 * @param options retry offset and eigen solver
 * @returns the squared Fréchet distance (>= 0 up to rounding)
 * @example
 * ```ts
 * import { frechetDistanceFromStats } from "./frechet_distance_from_stats.ts";
 * const s = (m: number) => ({ mean: new Float64Array([m]), cov: new Float64Array([4]), dim: 1, count: 2 });
 * console.log(frechetDistanceFromStats(s(0), s(3))); // 9
 * ```
 */
export function frechetDistanceFromStats(
  s1: GaussianStats,
  s2: GaussianStats,
  options: FrechetFromStatsOptions = {},
): number {
  const d = s1.dim;
  if (s2.dim !== d || s1.mean.length !== d || s2.mean.length !== d) {
    throw new RangeError(
      `Cannot compute the Fréchet distance as both Gaussians need the same dimension: received ${s1.mean.length} and ${s2.mean.length}`,
    );
  }
  if (s1.cov.length !== d * d || s2.cov.length !== d * d) {
    throw new RangeError(
      `Cannot compute the Fréchet distance as covariances must be ${d}×${d}: received ${s1.cov.length} and ${s2.cov.length} values`,
    );
  }
  for (const [name, arr] of [["mean 1", s1.mean], ["mean 2", s2.mean], ["cov 1", s1.cov], ["cov 2", s2.cov]] as const) {
    const bad = arr.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) {
      throw new RangeError(`Cannot compute the Fréchet distance as ${name} has a non-finite value ${arr[bad]} at index ${bad}`);
    }
  }
  const eps = options.eps ?? 1e-6;
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (s1.mean[i] - s2.mean[i]) ** 2;
  let trace = 0;
  for (let i = 0; i < d; i++) trace += s1.cov[i * d + i] + s2.cov[i * d + i];
  const method = options.eigenMethod ?? "auto";
  let tr = traceSqrtProduct(s1.cov, s2.cov, d, method);
  if (!Number.isFinite(tr)) {
    const c1 = Float64Array.from(s1.cov);
    const c2 = Float64Array.from(s2.cov);
    for (let i = 0; i < d; i++) {
      c1[i * d + i] += eps;
      c2[i * d + i] += eps;
    }
    tr = traceSqrtProduct(c1, c2, d, method);
    if (!Number.isFinite(tr)) {
      throw new RangeError(`Cannot compute the Fréchet distance: Tr sqrtm(Σ1Σ2) is ${tr} even after adding ${eps}·I`);
    }
  }
  return meanTerm + trace - 2 * tr;
}

/** Tr (Σ1Σ2)^½ = Σ √λ(D½ Vᵀ Σ2 V D½) where Σ1 = V D Vᵀ (similar to Σ1^½ Σ2 Σ1^½). */
function traceSqrtProduct(
  c1: Float64Array,
  c2: Float64Array,
  d: number,
  method: "auto" | "jacobi" | "ql" = "auto",
): number {
  const e1 = symmetricEigen(c1, d, { vectors: true, method });
  const v = e1.vectors!;
  const root = e1.values.map((l) => Math.sqrt(Math.max(l, 0)));
  const vt = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) vt[i * d + j] = v[j * d + i];
  const w = matMul(vt, matMul(c2, v, d, d, d), d, d, d); // Vᵀ Σ2 V, (D, D)
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) w[i * d + j] *= root[i] * root[j];
  const mu = symmetricEigen(w, d, { vectors: false, method }).values;
  let tr = 0;
  for (let i = 0; i < d; i++) tr += Math.sqrt(Math.max(mu[i], 0));
  return tr;
}
