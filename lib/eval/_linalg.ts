/**
 * Float64 dense linear algebra for the Fréchet distance: symmetric
 * eigendecompositions (cyclic Jacobi for small matrices, Householder
 * tridiagonalisation + implicit QL for large ones) and a few products.
 * Matrices are row-major Float64Array of n·n values.
 *
 * References: Golub & Van Loan, "Matrix Computations" (4th ed.), §8.5
 * (cyclic Jacobi) and §8.3 (tridiagonalisation, implicit symmetric QR);
 * EISPACK tred2 / tql2 (the algorithms, written afresh here).
 */

/** Above this size the Jacobi method gets slow (O(n³) per sweep, ~8 sweeps). */
export const JACOBI_MAX_N = 128;

/** An eigendecomposition A = V diag(values) Vᵀ; `vectors` holds V row-major (column j is eigenvector j). */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array | null;
}

/**
 * Eigenvalues (and optionally eigenvectors) of a symmetric matrix.
 * Only the matrix is read; it is not modified.
 */
export function symmetricEigen(
  a: Float64Array,
  n: number,
  options: { vectors?: boolean; method?: "auto" | "jacobi" | "ql" } = {},
): SymmetricEigen {
  const method = options.method ?? "auto";
  const wantVectors = options.vectors ?? true;
  if (method === "jacobi" || (method === "auto" && n <= JACOBI_MAX_N)) return jacobiEigen(a, n, wantVectors);
  return qlEigen(a, n, wantVectors);
}

/** Cyclic Jacobi: rotations zero each off-diagonal entry in turn until the off-diagonal mass vanishes. */
export function jacobiEigen(a0: Float64Array, n: number, wantVectors = true): SymmetricEigen {
  const a = Float64Array.from(a0);
  // Symmetrise exactly so that rounding in the input cannot bias the rotations.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const m = 0.5 * (a[i * n + j] + a[j * n + i]);
      a[i * n + j] = m;
      a[j * n + i] = m;
    }
  }
  const v = wantVectors ? new Float64Array(n * n) : null;
  if (v) for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += a[i] * a[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off <= 1e-34 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const app = a[p * n + p];
        const aqq = a[q * n + q];
        // Skip entries already negligible next to both diagonal entries.
        if (Math.abs(apq) < 1e-18 * Math.min(Math.abs(app), Math.abs(aqq)) && sweep > 3) {
          a[p * n + q] = 0;
          a[q * n + p] = 0;
          continue;
        }
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          // columns p, q of A·J
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          // rows p, q of Jᵀ·(A·J)
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        a[p * n + q] = 0;
        a[q * n + p] = 0;
        if (v) {
          for (let k = 0; k < n; k++) {
            const vkp = v[k * n + p];
            const vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
          }
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: v };
}

/** Householder reduction to tridiagonal form followed by the implicit QL iteration. */
export function qlEigen(a0: Float64Array, n: number, wantVectors = true): SymmetricEigen {
  // V starts as the (symmetrised) matrix and ends as the eigenvectors.
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) V[i * n + j] = 0.5 * (a0[i * n + j] + a0[j * n + i]);
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalise(V, d, e, n, wantVectors);
  implicitQl(V, d, e, n, wantVectors);
  return { values: d, vectors: wantVectors ? V : null };
}

function tridiagonalise(V: Float64Array, d: Float64Array, e: Float64Array, n: number, accumulate: boolean): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  if (!accumulate) {
    // The tridiagonal's diagonal is left on V's diagonal by the reduction.
    for (let j = 0; j < n; j++) d[j] = V[j * n + j];
    e[0] = 0;
    return;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

function implicitQl(V: Float64Array, d: Float64Array, e: Float64Array, n: number, accumulate: boolean): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 300) throw new Error(`Cannot diagonalise: QL iteration did not converge for eigenvalue ${l} of ${n}`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (accumulate) {
            for (let k = 0; k < n; k++) {
              const vk1 = V[k * n + i + 1];
              const vk = V[k * n + i];
              V[k * n + i + 1] = s * vk + c * vk1;
              V[k * n + i] = c * vk - s * vk1;
            }
          }
        }
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/** C = A·B for row-major A [n, k] and B [k, m] (i-k-j order for locality). */
export function matMul(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const ci = i * m;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      if (aip === 0) continue;
      const bp = p * m;
      for (let j = 0; j < m; j++) c[ci + j] += aip * b[bp + j];
    }
  }
  return c;
}

/** C = A·Bᵀ for row-major A [n, k] and B [m, k]. */
export function matMulTransB(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
      c[i * m + j] = s;
    }
  }
  return c;
}

/** Column means and the centred copy of a row-major [n, d] matrix. */
export function centre(data: Float32Array | Float64Array, n: number, d: number): { mean: Float64Array; values: Float64Array } {
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += data[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const values = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) values[r * d + j] = data[r * d + j] - mean[j];
  return { mean, values };
}

/**
 * Column means and the rows of X in a Helmert basis: row k (k = 1..n−1) is
 * (x_1 + … + x_k − k·x_{k+1}) / √(k(k+1)). These n − 1 orthonormal
 * combinations span the complement of the ones vector, so BᵀB equals the
 * centred scatter matrix AᵀA without centring's exact zero singular value.
 */
export function helmert(data: Float32Array | Float64Array, n: number, d: number): { mean: Float64Array; rows: Float64Array } {
  const prefix = new Float64Array(d);
  const rows = new Float64Array((n - 1) * d);
  for (let k = 1; k < n; k++) {
    for (let j = 0; j < d; j++) prefix[j] += data[(k - 1) * d + j];
    const scale = 1 / Math.sqrt(k * (k + 1));
    for (let j = 0; j < d; j++) rows[(k - 1) * d + j] = (prefix[j] - k * data[k * d + j]) * scale;
  }
  const mean = new Float64Array(d);
  for (let j = 0; j < d; j++) mean[j] = (prefix[j] + data[(n - 1) * d + j]) / n;
  return { mean, rows };
}
