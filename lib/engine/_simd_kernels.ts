/**
 * blas kernels whose element-wise loops run four lanes at a time
 * (_wasm_simd.ts): GELU(tanh) forward/backward and softmax attention forward
 * and backward (the row-wise exponentials and the softmax gradient, on blocks
 * that sgemm reads and writes in the SIMD module's memory). Same inputs,
 * attributes and outputs as the engine's GeluTanh / GeluTanhGrad /
 * BlasAttention / BlasAttentionGrad (which they fall back to — the scalar
 * loops — where SIMD is unavailable or a key length is not a multiple of 4).
 *
 * Registered for the "blas" backend under their own names when this module is
 * first imported (see {@link registerSimdKernels}).
 *
 * References: lib/engine/_attention.ts and _fused.ts (the scalar kernels and
 * their formulas); Vaswani et al. 2017 §3.2.1; Hendrycks & Gimpel 2016.
 */
import * as tf from "@tensorflow/tfjs-core";
import { loadOpenBlas } from "./_ffi.ts";
import { blasConfig, f32, type KernelArgs, out } from "./_kernel_utils.ts";
import { attentionBackward, attentionForward } from "./_attention.ts";
import { fastExp } from "./_fast_math.ts";
import { newF32 } from "./_pool.ts";
import { geluGradSimd, geluSimd, softmaxScratch } from "./_wasm_simd.ts";

/** Kernel names. */
export const SIMD_GELU_TANH = "BlasSimdGeluTanh";
export const SIMD_GELU_TANH_GRAD = "BlasSimdGeluTanhGrad";
export const SIMD_ATTENTION = "BlasSimdAttention";
export const SIMD_ATTENTION_GRAD = "BlasSimdAttentionGrad";

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/** Inputs x; attrs keepGate. Outputs [y] or [y, σ(2u)]. */
function gelu({ inputs, backend, attrs }: KernelArgs) {
  const x = f32(backend, inputs.x);
  const y = newF32(x.length);
  const gate = attrs?.keepGate ? newF32(x.length) : null;
  if (!geluSimd(x, y, gate)) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const s = 1 / (1 + fastExp(-2 * GELU_C * (v + GELU_A * v * v * v)));
      if (gate) gate[i] = s;
      y[i] = v * s;
    }
  }
  const shape = inputs.x.shape;
  return gate ? [out(backend, shape, y), out(backend, shape, gate)] : [out(backend, shape, y)];
}

/** Inputs dy, x, gate (σ(2u) kept by the forward kernel). Output dx. */
function geluGrad({ inputs, backend }: KernelArgs) {
  const x = f32(backend, inputs.x), dy = f32(backend, inputs.dy), gate = f32(backend, inputs.gate);
  const dx = newF32(x.length);
  if (!geluGradSimd(dy, x, gate, dx)) {
    const c2 = 2 * GELU_C, a3 = 3 * GELU_A;
    for (let i = 0; i < x.length; i++) {
      const v = x[i], s = gate[i];
      dx[i] = dy[i] * (s + v * s * (1 - s) * c2 * (1 + a3 * v * v));
    }
  }
  return out(backend, inputs.x.shape, dx);
}

/**
 * Inputs q, k, v [B, L, H, d]; attrs scale, keep. Outputs [o] or [o, E, sums]
 * with E = exp(scale·Q·Kᵀ − rowmax) [B, H, Lq, Lk] and its row sums [B, H, Lq].
 * Per (batch, head), sgemm writes the scores into the SIMD module's memory,
 * the exponentials run there in place, and E·V reads them from there.
 */
function attention({ inputs, backend, attrs }: KernelArgs) {
  const { q, k, v } = inputs;
  const [b, lq, h, d] = q.shape, lk = k.shape[1];
  const scale = attrs!.scale as number, keep = !!attrs!.keep;
  const blas = loadOpenBlas();
  const qv = f32(backend, q), kv = f32(backend, k), vv = f32(backend, v);
  const block = lq * lk, ld = h * d;
  const scratch = lk % 4 === 0 ? softmaxScratch(block + lq) : null;
  if (!scratch) {
    const r = attentionForward(blas, qv, kv, vv, { b, lq, lk, h, d }, { scale, keep });
    const o = out(backend, q.shape, r.o);
    return r.e ? [o, out(backend, [b, h, lq, lk], r.e), out(backend, [b, h, lq], r.sums!)] : [o];
  }
  const { view } = scratch;
  const o = newF32(b * lq * h * d);
  const e = keep ? newF32(b * h * block) : null;
  const sums = new Float32Array(b * h * lq);
  for (let bi = 0; bi < b; bi++) {
    for (let hi = 0; hi < h; hi++) {
      const qOff = bi * lq * ld + hi * d, kOff = bi * lk * ld + hi * d;
      const bh = bi * h + hi;
      blas.sgemm(false, true, lq, lk, d, scale, qv, qOff, ld, kv, kOff, ld, 0, view, 0, lk); // S = s·Q·Kᵀ
      scratch.expRows(0, lq, lk, block); // E = exp(S − rowmax), row sums after it
      blas.sgemm(false, false, lq, d, lk, 1, view, 0, lk, vv, kOff, ld, 0, o, qOff, ld); // E·V
      for (let i = 0, row = qOff; i < lq; i++, row += ld) {
        const inv = 1 / view[block + i];
        for (let j = 0; j < d; j++) o[row + j] *= inv;
      }
      sums.set(view.subarray(block, block + lq), bh * lq);
      if (e) e.set(view.subarray(0, block), bh * block);
    }
  }
  const oInfo = out(backend, q.shape, o);
  return e ? [oInfo, out(backend, [b, h, lq, lk], e), out(backend, [b, h, lq], sums)] : [oInfo];
}

/**
 * Inputs dy, q, k, v and optionally e, sums (kept by the forward pass); attrs
 * scale. Outputs [dq, dk, dv]. dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P ∘ (dP − rowsum(dP ∘ P)),
 * dQ = s·dS·K, dK = s·dSᵀ·Q, with E, dP and dS in the SIMD module's memory.
 */
function attentionGrad({ inputs, backend, attrs }: KernelArgs) {
  const { dy, q, k, v, e, sums } = inputs;
  const [b, lq, h, d] = q.shape, lk = k.shape[1];
  const scale = attrs!.scale as number;
  const blas = loadOpenBlas();
  const block = lq * lk, ld = h * d;
  const scratch = lk % 4 === 0 ? softmaxScratch(2 * block + lq) : null;
  const qv = f32(backend, q), kv = f32(backend, k), vv = f32(backend, v), dyv = f32(backend, dy);
  if (!scratch) {
    const kept = e && sums ? { e: f32(backend, e), sums: f32(backend, sums) } : null;
    const [dq, dk, dv] = attentionBackward(blas, dyv, qv, kv, vv, { b, lq, lk, h, d }, scale, kept);
    return [out(backend, q.shape, dq), out(backend, k.shape, dk), out(backend, v.shape, dv)];
  }
  const { view } = scratch;
  const E = 0, P = block, SUMS = 2 * block; // float offsets in the scratch
  const ev = e ? f32(backend, e) : null, sv = sums ? f32(backend, sums) : null;
  const dq = newF32(qv.length), dk = newF32(kv.length), dv = newF32(vv.length); // written by sgemm (beta = 0)
  const dyScaled = new Float32Array(lq * d);
  for (let bi = 0; bi < b; bi++) {
    for (let hi = 0; hi < h; hi++) {
      const qOff = bi * lq * ld + hi * d, kOff = bi * lk * ld + hi * d, bh = bi * h + hi;
      if (ev && sv) {
        view.set(ev.subarray(bh * block, (bh + 1) * block), E);
        view.set(sv.subarray(bh * lq, (bh + 1) * lq), SUMS);
      } else {
        blas.sgemm(false, true, lq, lk, d, scale, qv, qOff, ld, kv, kOff, ld, 0, view, E, lk);
        scratch.expRows(E, lq, lk, SUMS);
      }
      for (let i = 0; i < lq; i++) {
        const inv = 1 / view[SUMS + i], src = qOff + i * ld, dst = i * d;
        for (let j = 0; j < d; j++) dyScaled[dst + j] = dyv[src + j] * inv;
      }
      blas.sgemm(true, false, lk, d, lq, 1, view, E, lk, dyScaled, 0, d, 0, dv, kOff, ld); // dV = Pᵀ·dO
      blas.sgemm(false, true, lq, lk, d, 1, dyv, qOff, ld, vv, kOff, ld, 0, view, P, lk); // dP = dO·Vᵀ
      scratch.softmaxGradRows(P, E, SUMS, lq, lk); // dS in place of dP
      blas.sgemm(false, false, lq, d, lk, scale, view, P, lk, kv, kOff, ld, 0, dq, qOff, ld); // dQ = s·dS·K
      blas.sgemm(true, false, lk, d, lq, scale, view, P, lk, qv, qOff, ld, 0, dk, kOff, ld); // dK = s·dSᵀ·Q
    }
  }
  return [out(backend, q.shape, dq), out(backend, k.shape, dk), out(backend, v.shape, dv)];
}

/** Kernel configs of this file. */
export const simdConfigs = [
  blasConfig(SIMD_GELU_TANH, gelu),
  blasConfig(SIMD_GELU_TANH_GRAD, geluGrad),
  blasConfig(SIMD_ATTENTION, attention),
  blasConfig(SIMD_ATTENTION_GRAD, attentionGrad),
];

/** Registers this file's kernels for the "blas" backend (once). Called when the module is imported. */
export function registerSimdKernels(): void {
  for (const k of simdConfigs) if (!tf.getKernel(k.kernelName, k.backendName)) tf.registerKernel(k);
}

registerSimdKernels();
