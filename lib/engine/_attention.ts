/**
 * Fused softmax attention kernels for the blas backend, working directly on
 * the [B, L, H, d] layout (no head transposes: each head is a strided matrix
 * with leading dimension H·d, which sgemm takes as is).
 *
 * Forward, per (batch, head): S = scale·Q·Kᵀ (sgemm with alpha = scale),
 * E = exp(S − rowmax) in place, then either P = E / rowsum (when P is kept for
 * the backward pass) and O = P·V, or O = (E·V) / rowsum (one pass fewer over
 * the Lq×Lk scores). Backward, from the kept P or by recomputing it:
 * dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P ∘ (dP − rowsum(dP ∘ P)), dQ = scale·dS·K,
 * dK = scale·dSᵀ·Q.
 *
 * References: Vaswani et al. 2017 §3.2.1; Dao et al. 2022, "FlashAttention"
 * §3.1 and Appendix B.2 (recomputing P in the backward pass, the softmax
 * gradient dS = P ∘ (dP − rowsum(dP ∘ P))).
 */
import type { OpenBlas } from "./_ffi.ts";
import { blasConfig, f32, type KernelArgs, out } from "./_kernel_utils.ts";
import { fastExp } from "./_fast_math.ts";

/** Kernel names of the fused attention forward and backward. */
export const ATTENTION = "BlasAttention";
export const ATTENTION_GRAD = "BlasAttentionGrad";

interface Dims {
  b: number;
  lq: number;
  lk: number;
  h: number;
  d: number;
}

function dimsOf(qShape: readonly number[], kShape: readonly number[]): Dims {
  return { b: qShape[0], lq: qShape[1], lk: kShape[1], h: qShape[2], d: qShape[3] };
}

/**
 * E = exp(S − rowmax) in place on an m×n block (at `off`); row sums into `sums`.
 * Rows that are all −∞ give NaN, as softmax does.
 */
function expRows(s: Float32Array, off: number, m: number, n: number, sums: Float64Array) {
  for (let i = 0, row = off; i < m; i++, row += n) {
    let mx = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = s[row + j];
      if (v > mx || v !== v) mx = v;
    }
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = fastExp(s[row + j] - mx);
      s[row + j] = e;
      sum += e;
    }
    sums[i] = sum;
  }
}

/** Scales row i of an m×n block (row stride ld, at `off`) by 1 / sums[i]. */
function divideRows(x: Float32Array, off: number, m: number, n: number, ld: number, sums: Float64Array) {
  for (let i = 0, row = off; i < m; i++, row += ld) {
    const inv = 1 / sums[i];
    for (let j = 0; j < n; j++) x[row + j] *= inv;
  }
}

/** P for one (batch, head) into `p` at `pOff` (Lq×Lk, normalised). */
function probabilities(
  blas: OpenBlas, q: Float32Array, k: Float32Array, qOff: number, kOff: number, g: Dims, scale: number,
  p: Float32Array, pOff: number, sums: Float64Array,
) {
  const ld = g.h * g.d;
  blas.sgemm(false, true, g.lq, g.lk, g.d, scale, q, qOff, ld, k, kOff, ld, 0, p, pOff, g.lk);
  expRows(p, pOff, g.lq, g.lk, sums);
  divideRows(p, pOff, g.lq, g.lk, g.lk, sums);
}

/**
 * softmax(scale·Q·Kᵀ)·V on [B, L, H, d] values.
 * @param blas loaded OpenBLAS
 * @param q queries [B, Lq, H, d]
 * @param k keys [B, Lk, H, d]
 * @param v values [B, Lk, H, d]
 * @param g dimensions
 * @param options logit scale; keepProbs to also return P [B, H, Lq, Lk]
 * @returns output [B, Lq, H, d] and, when kept, P
 */
export function attentionForward(
  blas: OpenBlas, q: Float32Array, k: Float32Array, v: Float32Array, g: Dims,
  options: { scale: number; keepProbs: boolean },
): { o: Float32Array; p: Float32Array | null } {
  const o = new Float32Array(g.b * g.lq * g.h * g.d);
  const block = g.lq * g.lk;
  const p = new Float32Array(options.keepProbs ? g.b * g.h * block : block);
  const sums = new Float64Array(g.lq);
  const ld = g.h * g.d;
  for (let b = 0; b < g.b; b++) {
    for (let h = 0; h < g.h; h++) {
      const qOff = b * g.lq * ld + h * g.d, kOff = b * g.lk * ld + h * g.d;
      if (options.keepProbs) {
        const pOff = (b * g.h + h) * block;
        probabilities(blas, q, k, qOff, kOff, g, options.scale, p, pOff, sums);
        blas.sgemm(false, false, g.lq, g.d, g.lk, 1, p, pOff, g.lk, v, kOff, ld, 0, o, qOff, ld);
      } else {
        blas.sgemm(false, true, g.lq, g.lk, g.d, options.scale, q, qOff, ld, k, kOff, ld, 0, p, 0, g.lk);
        expRows(p, 0, g.lq, g.lk, sums);
        blas.sgemm(false, false, g.lq, g.d, g.lk, 1, p, 0, g.lk, v, kOff, ld, 0, o, qOff, ld);
        divideRows(o, qOff, g.lq, g.d, ld, sums);
      }
    }
  }
  return { o, p: options.keepProbs ? p : null };
}

/**
 * Gradients of {@link attentionForward} with respect to q, k and v.
 * @param probs P [B, H, Lq, Lk] from the forward pass, or null to recompute it
 * @returns [dq, dk, dv] in the layouts of q, k, v
 */
export function attentionBackward(
  blas: OpenBlas, dy: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, g: Dims, scale: number,
  probs: Float32Array | null,
): [Float32Array, Float32Array, Float32Array] {
  const dq = new Float32Array(q.length), dk = new Float32Array(k.length), dv = new Float32Array(v.length);
  const block = g.lq * g.lk;
  const scratch = probs ? null : new Float32Array(block);
  const sums = new Float64Array(g.lq);
  const ds = new Float32Array(block);
  const ld = g.h * g.d;
  for (let b = 0; b < g.b; b++) {
    for (let h = 0; h < g.h; h++) {
      const qOff = b * g.lq * ld + h * g.d, kOff = b * g.lk * ld + h * g.d;
      let p: Float32Array, pOff: number;
      if (probs) {
        [p, pOff] = [probs, (b * g.h + h) * block];
      } else {
        [p, pOff] = [scratch!, 0];
        probabilities(blas, q, k, qOff, kOff, g, scale, p, 0, sums);
      }
      blas.sgemm(true, false, g.lk, g.d, g.lq, 1, p, pOff, g.lk, dy, qOff, ld, 0, dv, kOff, ld); // dV = Pᵀ·dO
      blas.sgemm(false, true, g.lq, g.lk, g.d, 1, dy, qOff, ld, v, kOff, ld, 0, ds, 0, g.lk); // dP = dO·Vᵀ
      for (let i = 0; i < g.lq; i++) {
        const r = i * g.lk, pr = pOff + r;
        let s = 0;
        for (let j = 0; j < g.lk; j++) s += ds[r + j] * p[pr + j];
        for (let j = 0; j < g.lk; j++) ds[r + j] = p[pr + j] * (ds[r + j] - s);
      }
      blas.sgemm(false, false, g.lq, g.d, g.lk, scale, ds, 0, g.lk, k, kOff, ld, 0, dq, qOff, ld); // dQ = s·dS·K
      blas.sgemm(true, false, g.lk, g.d, g.lq, scale, ds, 0, g.lk, q, qOff, ld, 0, dk, kOff, ld); // dK = s·dSᵀ·Q
    }
  }
  return [dq, dk, dv];
}

let blasLib: OpenBlas | null = null;

/** Binds the attention kernels to a loaded OpenBLAS (called once at registration). */
export function bindAttentionBlas(blas: OpenBlas) {
  blasLib = blas;
}

function lib(): OpenBlas {
  if (!blasLib) throw new Error("Cannot run the blas attention kernels before registerBlasBackend()");
  return blasLib;
}

/** Inputs q, k, v; attrs scale, keepProbs. Outputs [o] or [o, p]. */
function attentionKernel({ inputs, backend, attrs }: KernelArgs) {
  const { q, k, v } = inputs;
  const g = dimsOf(q.shape, k.shape);
  const keepProbs = !!attrs!.keepProbs;
  const r = attentionForward(lib(), f32(backend, q), f32(backend, k), f32(backend, v), g, {
    scale: attrs!.scale as number,
    keepProbs,
  });
  const o = out(backend, q.shape, r.o);
  return r.p ? [o, out(backend, [g.b, g.h, g.lq, g.lk], r.p)] : [o];
}

/** Inputs dy, q, k, v and optionally p; attrs scale. Outputs [dq, dk, dv]. */
function attentionGradKernel({ inputs, backend, attrs }: KernelArgs) {
  const { dy, q, k, v, p } = inputs;
  const [dq, dk, dv] = attentionBackward(
    lib(), f32(backend, dy), f32(backend, q), f32(backend, k), f32(backend, v), dimsOf(q.shape, k.shape),
    attrs!.scale as number, p ? f32(backend, p) : null,
  );
  return [out(backend, q.shape, dq), out(backend, k.shape, dk), out(backend, v.shape, dv)];
}

/** Kernel configs of this file. */
export const attentionConfigs = [
  blasConfig(ATTENTION, attentionKernel),
  blasConfig(ATTENTION_GRAD, attentionGradKernel),
];
