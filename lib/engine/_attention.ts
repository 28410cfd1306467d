/**
 * Fused softmax attention kernels for the blas backend, working directly on
 * the [B, L, H, d] layout (no head transposes: each head is a strided matrix
 * with leading dimension H·d, which sgemm takes as is).
 *
 * Forward, per (batch, head): S = scale·Q·Kᵀ (sgemm with alpha = scale),
 * E = exp(S − rowmax) in place, O = (E·V) / rowsum(E): P = E / rowsum is never
 * formed, which saves a pass over the Lq×Lk scores. Backward, from the kept E
 * and row sums or by recomputing them: dV = Pᵀ·dO, dP = dO·Vᵀ,
 * dS = P ∘ (dP − rowsum(dP ∘ P)), dQ = scale·dS·K, dK = scale·dSᵀ·Q, with
 * the 1/rowsum factors applied to the small Lq×d operands where possible.
 *
 * References: Vaswani et al. 2017 §3.2.1; Dao et al. 2022, "FlashAttention"
 * §3.1 and Appendix B.2 (recomputing P in the backward pass, the softmax
 * gradient dS = P ∘ (dP − rowsum(dP ∘ P))).
 */
import type { OpenBlas } from "./_ffi.ts";
import { blasConfig, f32, type KernelArgs, out } from "./_kernel_utils.ts";
import { fastExp } from "./_fast_math.ts";
import { newF32 } from "./_pool.ts";

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
 * E = exp(S − rowmax) in place on an m×n block (at `off`); row sums into `sums` (at `sOff`).
 * Rows that are all −∞ give NaN, as softmax does.
 */
function expRows(s: Float32Array, off: number, m: number, n: number, sums: Float32Array, sOff: number) {
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
    sums[sOff + i] = sum;
  }
}

/** Scales row i of an m×n block (row stride ld, at `off`) by 1 / sums[sOff + i]. */
function divideRows(x: Float32Array, off: number, m: number, n: number, ld: number, sums: Float32Array, sOff: number) {
  for (let i = 0, row = off; i < m; i++, row += ld) {
    const inv = 1 / sums[sOff + i];
    for (let j = 0; j < n; j++) x[row + j] *= inv;
  }
}

/** E = exp(scale·Q·Kᵀ − rowmax) for one (batch, head) into `e` at `eOff`, row sums into `sums` at `sOff`. */
function expScores(
  blas: OpenBlas,
  q: Float32Array,
  k: Float32Array,
  qOff: number,
  kOff: number,
  g: Dims,
  scale: number,
  e: Float32Array,
  eOff: number,
  sums: Float32Array,
  sOff: number,
) {
  const ld = g.h * g.d;
  blas.sgemm(false, true, g.lq, g.lk, g.d, scale, q, qOff, ld, k, kOff, ld, 0, e, eOff, g.lk);
  expRows(e, eOff, g.lq, g.lk, sums, sOff);
}

/**
 * softmax(scale·Q·Kᵀ)·V on [B, L, H, d] values, as O = (E·V) / rowsum(E)
 * with E = exp(S − rowmax): P itself is never normalised.
 * @param blas loaded OpenBLAS
 * @param q queries [B, Lq, H, d]
 * @param k keys [B, Lk, H, d]
 * @param v values [B, Lk, H, d]
 * @param g dimensions
 * @param options logit scale; keep to also return E [B, H, Lq, Lk] and its row sums [B, H, Lq]
 * @returns output [B, Lq, H, d] and, when kept, E and the sums
 */
export function attentionForward(
  blas: OpenBlas,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  g: Dims,
  options: { scale: number; keep: boolean },
): { o: Float32Array; e: Float32Array | null; sums: Float32Array | null } {
  const o = newF32(g.b * g.lq * g.h * g.d); // every head's rows are written by sgemm
  const block = g.lq * g.lk;
  const e = options.keep ? newF32(g.b * g.h * block) : new Float32Array(block);
  const sums = new Float32Array(options.keep ? g.b * g.h * g.lq : g.lq);
  const ld = g.h * g.d;
  for (let b = 0; b < g.b; b++) {
    for (let h = 0; h < g.h; h++) {
      const qOff = b * g.lq * ld + h * g.d, kOff = b * g.lk * ld + h * g.d;
      const eOff = options.keep ? (b * g.h + h) * block : 0, sOff = options.keep ? (b * g.h + h) * g.lq : 0;
      expScores(blas, q, k, qOff, kOff, g, options.scale, e, eOff, sums, sOff);
      blas.sgemm(false, false, g.lq, g.d, g.lk, 1, e, eOff, g.lk, v, kOff, ld, 0, o, qOff, ld);
      divideRows(o, qOff, g.lq, g.d, ld, sums, sOff);
    }
  }
  return options.keep ? { o, e, sums } : { o, e: null, sums: null };
}

/**
 * Gradients of {@link attentionForward} with respect to q, k and v, with
 * P = E / rowsum folded into the products: dV = Eᵀ·(dO / sum),
 * dS = (E / sum) ∘ (dP − rowsum(dP ∘ E) / sum).
 * @param kept E and sums from the forward pass, or null to recompute them
 * @returns [dq, dk, dv] in the layouts of q, k, v
 */
export function attentionBackward(
  blas: OpenBlas,
  dy: Float32Array,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  g: Dims,
  scale: number,
  kept: { e: Float32Array; sums: Float32Array } | null,
): [Float32Array, Float32Array, Float32Array] {
  const dq = newF32(q.length), dk = newF32(k.length), dv = newF32(v.length); // written by sgemm (beta = 0)
  const block = g.lq * g.lk;
  const scratch = kept ? null : new Float32Array(block);
  const scratchSums = kept ? null : new Float32Array(g.lq);
  const ds = new Float32Array(block);
  const dyScaled = new Float32Array(g.lq * g.d);
  const ld = g.h * g.d;
  for (let b = 0; b < g.b; b++) {
    for (let h = 0; h < g.h; h++) {
      const qOff = b * g.lq * ld + h * g.d, kOff = b * g.lk * ld + h * g.d;
      let e: Float32Array, eOff: number, sums: Float32Array, sOff: number;
      if (kept) {
        [e, eOff, sums, sOff] = [kept.e, (b * g.h + h) * block, kept.sums, (b * g.h + h) * g.lq];
      } else {
        [e, eOff, sums, sOff] = [scratch!, 0, scratchSums!, 0];
        expScores(blas, q, k, qOff, kOff, g, scale, e, 0, sums, 0);
      }
      for (let i = 0; i < g.lq; i++) {
        const inv = 1 / sums[sOff + i], src = qOff + i * ld, dst = i * g.d;
        for (let j = 0; j < g.d; j++) dyScaled[dst + j] = dy[src + j] * inv;
      }
      blas.sgemm(true, false, g.lk, g.d, g.lq, 1, e, eOff, g.lk, dyScaled, 0, g.d, 0, dv, kOff, ld); // dV = Pᵀ·dO
      blas.sgemm(false, true, g.lq, g.lk, g.d, 1, dy, qOff, ld, v, kOff, ld, 0, ds, 0, g.lk); // dP = dO·Vᵀ
      for (let i = 0; i < g.lq; i++) {
        const r = i * g.lk, er = eOff + r, inv = 1 / sums[sOff + i];
        let s = 0;
        for (let j = 0; j < g.lk; j++) s += ds[r + j] * e[er + j];
        s *= inv;
        for (let j = 0; j < g.lk; j++) ds[r + j] = e[er + j] * inv * (ds[r + j] - s);
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

/** Inputs q, k, v; attrs scale, keep. Outputs [o] or [o, e, sums]. */
function attentionKernel({ inputs, backend, attrs }: KernelArgs) {
  const { q, k, v } = inputs;
  const g = dimsOf(q.shape, k.shape);
  const r = attentionForward(lib(), f32(backend, q), f32(backend, k), f32(backend, v), g, {
    scale: attrs!.scale as number,
    keep: !!attrs!.keep,
  });
  const o = out(backend, q.shape, r.o);
  if (!r.e) return [o];
  return [o, out(backend, [g.b, g.h, g.lq, g.lk], r.e), out(backend, [g.b, g.h, g.lq], r.sums!)];
}

/** Inputs dy, q, k, v and optionally e, sums (kept by the forward pass); attrs scale. Outputs [dq, dk, dv]. */
function attentionGradKernel({ inputs, backend, attrs }: KernelArgs) {
  const { dy, q, k, v, e, sums } = inputs;
  const kept = e && sums ? { e: f32(backend, e), sums: f32(backend, sums) } : null;
  const [dq, dk, dv] = attentionBackward(
    lib(),
    f32(backend, dy),
    f32(backend, q),
    f32(backend, k),
    f32(backend, v),
    dimsOf(q.shape, k.shape),
    attrs!.scale as number,
    kept,
  );
  return [out(backend, q.shape, dq), out(backend, k.shape, dk), out(backend, v.shape, dv)];
}

/** Kernel configs of this file. */
export const attentionConfigs = [
  blasConfig(ATTENTION, attentionKernel),
  blasConfig(ATTENTION_GRAD, attentionGradKernel),
];
