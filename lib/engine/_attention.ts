/**
 * Fused softmax attention kernels for the blas backend, working directly on
 * the [B, L, H, d] layout (no head transposes: each head is a strided matrix
 * with leading dimension H·d, which sgemm takes as is).
 *
 * Forward, per (batch, head): S = scale·Q·Kᵀ (sgemm with alpha = scale),
 * P = softmax(S) in place, O = P·V. Backward recomputes P instead of saving it
 * (the memory of P is B·H·Lq·Lk floats per layer) and uses
 * dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P ∘ (dP − rowsum(dP ∘ P)),
 * dQ = scale·dS·K, dK = scale·dSᵀ·Q.
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

/** Row-wise softmax in place on an m×n block. */
function softmaxRows(p: Float32Array, m: number, n: number) {
  for (let off = 0; off < m * n; off += n) {
    let mx = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = p[off + j];
      if (v > mx || v !== v) mx = v;
    }
    let s = 0;
    for (let j = 0; j < n; j++) {
      const e = fastExp(p[off + j] - mx);
      p[off + j] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let j = 0; j < n; j++) p[off + j] *= inv;
  }
}

/** P for one (batch, head) into `p` (Lq×Lk). */
function probabilities(blas: OpenBlas, q: Float32Array, k: Float32Array, qOff: number, kOff: number, g: Dims, scale: number, p: Float32Array) {
  const ld = g.h * g.d;
  blas.sgemm(false, true, g.lq, g.lk, g.d, scale, q, qOff, ld, k, kOff, ld, 0, p, 0, g.lk);
  softmaxRows(p, g.lq, g.lk);
}

/**
 * softmax(scale·Q·Kᵀ)·V on [B, L, H, d] values.
 * @param blas loaded OpenBLAS
 * @param q queries [B, Lq, H, d]
 * @param k keys [B, Lk, H, d]
 * @param v values [B, Lk, H, d]
 * @param g dimensions
 * @param scale logit scale
 * @returns output [B, Lq, H, d]
 */
export function attentionForward(
  blas: OpenBlas, q: Float32Array, k: Float32Array, v: Float32Array, g: Dims, scale: number,
): Float32Array {
  const o = new Float32Array(g.b * g.lq * g.h * g.d);
  const p = new Float32Array(g.lq * g.lk);
  const ld = g.h * g.d;
  for (let b = 0; b < g.b; b++) {
    for (let h = 0; h < g.h; h++) {
      const qOff = b * g.lq * ld + h * g.d, kOff = b * g.lk * ld + h * g.d;
      probabilities(blas, q, k, qOff, kOff, g, scale, p);
      blas.sgemm(false, false, g.lq, g.d, g.lk, 1, p, 0, g.lk, v, kOff, ld, 0, o, qOff, ld);
    }
  }
  return o;
}

/**
 * Gradients of {@link attentionForward} with respect to q, k and v.
 * @returns [dq, dk, dv] in the layouts of q, k, v
 */
export function attentionBackward(
  blas: OpenBlas, dy: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, g: Dims, scale: number,
): [Float32Array, Float32Array, Float32Array] {
  const dq = new Float32Array(q.length), dk = new Float32Array(k.length), dv = new Float32Array(v.length);
  const p = new Float32Array(g.lq * g.lk);
  const ds = new Float32Array(g.lq * g.lk);
  const ld = g.h * g.d;
  for (let b = 0; b < g.b; b++) {
    for (let h = 0; h < g.h; h++) {
      const qOff = b * g.lq * ld + h * g.d, kOff = b * g.lk * ld + h * g.d;
      probabilities(blas, q, k, qOff, kOff, g, scale, p);
      blas.sgemm(true, false, g.lk, g.d, g.lq, 1, p, 0, g.lk, dy, qOff, ld, 0, dv, kOff, ld); // dV = Pᵀ·dO
      blas.sgemm(false, true, g.lq, g.lk, g.d, 1, dy, qOff, ld, v, kOff, ld, 0, ds, 0, g.lk); // dP = dO·Vᵀ
      for (let off = 0; off < g.lq * g.lk; off += g.lk) {
        let s = 0;
        for (let j = 0; j < g.lk; j++) s += ds[off + j] * p[off + j];
        for (let j = 0; j < g.lk; j++) ds[off + j] = p[off + j] * (ds[off + j] - s);
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

function attentionKernel({ inputs, backend, attrs }: KernelArgs) {
  const { q, k, v } = inputs;
  const o = attentionForward(
    lib(), f32(backend, q), f32(backend, k), f32(backend, v), dimsOf(q.shape, k.shape), attrs!.scale as number,
  );
  return out(backend, q.shape, o);
}

function attentionGradKernel({ inputs, backend, attrs }: KernelArgs) {
  const { dy, q, k, v } = inputs;
  const [dq, dk, dv] = attentionBackward(
    lib(), f32(backend, dy), f32(backend, q), f32(backend, k), f32(backend, v), dimsOf(q.shape, k.shape),
    attrs!.scale as number,
  );
  return [out(backend, q.shape, dq), out(backend, k.shape, dk), out(backend, v.shape, dv)];
}

/** Kernel configs of this file. */
export const attentionConfigs = [
  blasConfig(ATTENTION, attentionKernel),
  blasConfig(ATTENTION_GRAD, attentionGradKernel),
];
