/**
 * blas kernels whose transcendental loops run four lanes at a time
 * (_wasm_simd.ts): GELU(tanh) forward/backward and the attention forward
 * (the row-wise exponentials of softmax). Same inputs, attributes and outputs
 * as the engine's GeluTanh / GeluTanhGrad / BlasAttention, so the attention
 * gradient is the engine's BlasAttentionGrad on this kernel's kept E and row
 * sums. Each falls back to the scalar loops where SIMD is unavailable.
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
import { attentionForward } from "./_attention.ts";
import { fastExp } from "./_fast_math.ts";
import { newF32 } from "./_pool.ts";
import { expRowsSimd, geluGradSimd, geluSimd, simdAvailable } from "./_wasm_simd.ts";

/** Kernel names. */
export const SIMD_GELU_TANH = "BlasSimdGeluTanh";
export const SIMD_GELU_TANH_GRAD = "BlasSimdGeluTanhGrad";
export const SIMD_ATTENTION = "BlasSimdAttention";

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
 */
function attention({ inputs, backend, attrs }: KernelArgs) {
  const { q, k, v } = inputs;
  const [b, lq, h, d] = q.shape, lk = k.shape[1];
  const scale = attrs!.scale as number, keep = !!attrs!.keep;
  const blas = loadOpenBlas();
  const qv = f32(backend, q), kv = f32(backend, k), vv = f32(backend, v);
  if (lk % 4 !== 0 || !simdAvailable()) {
    const r = attentionForward(blas, qv, kv, vv, { b, lq, lk, h, d }, { scale, keep });
    const o = out(backend, q.shape, r.o);
    return r.e ? [o, out(backend, [b, h, lq, lk], r.e), out(backend, [b, h, lq], r.sums!)] : [o];
  }
  const o = newF32(b * lq * h * d);
  const block = lq * lk, ld = h * d;
  const e = keep ? newF32(b * h * block) : new Float32Array(block);
  const sums = new Float32Array(keep ? b * h * lq : lq);
  for (let bi = 0; bi < b; bi++) {
    for (let hi = 0; hi < h; hi++) {
      const qOff = bi * lq * ld + hi * d, kOff = bi * lk * ld + hi * d;
      const eOff = keep ? (bi * h + hi) * block : 0, sOff = keep ? (bi * h + hi) * lq : 0;
      blas.sgemm(false, true, lq, lk, d, scale, qv, qOff, ld, kv, kOff, ld, 0, e, eOff, lk); // S = s·Q·Kᵀ
      expRowsSimd(e, eOff, lq, lk, sums, sOff); // E = exp(S − rowmax), row sums
      blas.sgemm(false, false, lq, d, lk, 1, e, eOff, lk, vv, kOff, ld, 0, o, qOff, ld); // E·V
      for (let i = 0, row = qOff; i < lq; i++, row += ld) {
        const inv = 1 / sums[sOff + i];
        for (let j = 0; j < d; j++) o[row + j] *= inv;
      }
    }
  }
  const oInfo = out(backend, q.shape, o);
  return keep ? [oInfo, out(backend, [b, h, lq, lk], e), out(backend, [b, h, lq], sums)] : [oInfo];
}

/** Kernel configs of this file. */
export const simdConfigs = [
  blasConfig(SIMD_GELU_TANH, gelu),
  blasConfig(SIMD_GELU_TANH_GRAD, geluGrad),
  blasConfig(SIMD_ATTENTION, attention),
];

/** Registers this file's kernels for the "blas" backend (once). Called when the module is imported. */
export function registerSimdKernels(): void {
  for (const k of simdConfigs) if (!tf.getKernel(k.kernelName, k.backendName)) tf.registerKernel(k);
}

registerSimdKernels();
