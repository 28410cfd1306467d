/**
 * Single-pass kernels for the blas backend behind `modulatedNorm`,
 * `gatedResidual` and `rotatePairs`: the element-wise chains around a DiT
 * block's attention and FFN, which as composed ops cost one full pass (and a
 * TensorFlow.js op) each, forward and backward.
 *
 * Per-row "modulation" operands (scale, shift, gate) have shape [C] or
 * [G, 1, …, 1, C] with G = 1 or G = x.shape[0]: row r of x (of R rows of C)
 * uses row ⌊r·G / R⌋ of the operand, i.e. one vector per batch entry.
 *
 *   modulated norm   y = x̂·s + t, x̂ = (x − μ)·rstd (LayerNorm) or x·rstd (RMSNorm)
 *     backward       g = dy·s: dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) (RMS: no mean(g) term),
 *                    ds = Σ_rows dy·x̂, dt = Σ_rows dy
 *   gated residual   out = x + y·gate;  dy_y = dout·gate, dgate = Σ_rows dout·y (dx = dout)
 *   pair rotation    out[j] = x[j]·cos[j] + x[j^1]·sin[j];  dx[j] = dy[j]·cos[j] + dy[j^1]·sin[j^1]
 *
 * The kernels are registered for the "blas" backend when this module is first
 * imported (see {@link registerModulationKernels}).
 *
 * References: Ba et al. 2016 §3 (LayerNorm) and Zhang & Sennrich 2019 §3
 * (RMSNorm) for the backward formulas; Peebles & Xie 2023 "Scalable Diffusion
 * Models with Transformers" §3.2 (adaLN modulation, gated residual);
 * Wan-Video/Wan2.1 `wan/modules/model.py` (`WanAttentionBlock.forward`,
 * `Head.forward`, `rope_apply`); Su et al. 2021 "RoFormer" §3.4.2 (rotation of
 * channel pairs).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { TensorInfo } from "@tensorflow/tfjs-core";
import { blasConfig, f32, type KernelArgs, out, sizeOf } from "./_kernel_utils.ts";
import { newF32 } from "./_pool.ts";
import { normRowsGradSimd, normRowsSimd } from "./_wasm_simd.ts";

/** Kernel names. */
export const MODULATED_NORM = "BlasModulatedNorm";
export const MODULATED_NORM_GRAD = "BlasModulatedNormGrad";
export const GATED_RESIDUAL = "BlasGatedResidual";
export const GATED_RESIDUAL_GRAD = "BlasGatedResidualGrad";
export const ROTATE_PAIRS = "BlasRotatePairs";
export const ROTATE_PAIRS_GRAD = "BlasRotatePairsGrad";

/**
 * Number of operand rows G when `operand` is a per-row vector operand of `x`
 * ([C], or [G, 1, …, 1, C] with G ∈ {1, x.shape[0]}), else 0.
 * @param xShape shape of x (rank >= 2)
 * @param shape shape of the operand
 * @returns G, or 0 when the kernels cannot take this operand
 */
export function rowGroups(xShape: readonly number[], shape: readonly number[]): number {
  const c = xShape[xShape.length - 1];
  if (xShape.length < 2 || shape.length === 0 || shape[shape.length - 1] !== c) return 0;
  if (shape.length === 1) return 1;
  if (shape.length !== xShape.length) return 0;
  for (let i = 1; i < shape.length - 1; i++) if (shape[i] !== 1) return 0;
  return shape[0] === 1 || shape[0] === xShape[0] ? shape[0] : 0;
}

/** Inputs x, scale and optionally shift; attrs eps, center. Outputs [y, mean, rstd] (per row). */
function modulatedNorm({ inputs, backend, attrs }: KernelArgs) {
  const { x, scale, shift } = inputs;
  const xv = f32(backend, x), s = f32(backend, scale), t = shift ? f32(backend, shift) : null;
  const eps = attrs!.eps as number, center = !!attrs!.center;
  const n = x.shape.at(-1)!;
  const rows = n === 0 ? 0 : xv.length / n;
  const perGroup = rows / (s.length / n);
  const y = newF32(xv.length);
  const means = new Float32Array(rows), rstds = new Float32Array(rows);
  const groups = s.length / n;
  const simd = normRowsSimd(xv, { n, groups, center, eps, scale: s, shift: t }, y, { mean: means, rstd: rstds });
  for (let r = 0, off = 0; r < (simd ? 0 : rows); r++, off += n) {
    const so = Math.floor(r / perGroup) * n;
    // One pass for both moments (double accumulators): var = E[x²] − mean².
    let sum = 0, sq = 0;
    for (let j = 0; j < n; j++) {
      const v = xv[off + j];
      sum += v;
      sq += v * v;
    }
    const mean = center ? sum / n : 0;
    const variance = Math.max(sq / n - mean * mean, 0);
    const rstd = 1 / Math.sqrt(variance + eps);
    if (t) {
      for (let j = 0; j < n; j++) y[off + j] = (xv[off + j] - mean) * rstd * s[so + j] + t[so + j];
    } else {
      for (let j = 0; j < n; j++) y[off + j] = (xv[off + j] - mean) * rstd * s[so + j];
    }
    means[r] = mean;
    rstds[r] = rstd;
  }
  const rowShape = x.shape.slice(0, -1);
  return [out(backend, x.shape, y), out(backend, rowShape, means), out(backend, rowShape, rstds)];
}

/**
 * Inputs dy, x, mean, rstd, scale; attrs center, shift (whether to return dt).
 * Outputs [dx, ds] or [dx, ds, dt], ds and dt as [G, C].
 */
function modulatedNormGrad({ inputs, backend, attrs }: KernelArgs) {
  const { dy, x, mean, rstd, scale } = inputs;
  const g = f32(backend, dy), xv = f32(backend, x), means = f32(backend, mean), rstds = f32(backend, rstd);
  const s = f32(backend, scale);
  const center = !!attrs!.center, withShift = !!attrs!.shift;
  const n = x.shape.at(-1)!;
  const groups = s.length / n;
  const perGroup = means.length / groups;
  const dx = newF32(xv.length);
  const simd = { dx, ds: new Float32Array(s.length), dt: withShift ? new Float32Array(s.length) : null };
  if (normRowsGradSimd(g, xv, { n, groups, center, scale: s, mean: means, rstd: rstds }, simd)) {
    const outs: TensorInfo[] = [out(backend, x.shape, dx), out(backend, [groups, n], simd.ds)];
    if (simd.dt) outs.push(out(backend, [groups, n], simd.dt));
    return outs;
  }
  const ds = new Float64Array(s.length), dt = new Float64Array(withShift ? s.length : 0);
  for (let r = 0, off = 0; r < means.length; r++, off += n) {
    const so = Math.floor(r / perGroup) * n;
    const mu = means[r], rs = rstds[r];
    let sumG = 0, sumGX = 0;
    if (withShift) {
      for (let j = 0; j < n; j++) {
        const d = g[off + j], xh = (xv[off + j] - mu) * rs, gs = d * s[so + j];
        sumG += gs;
        sumGX += gs * xh;
        ds[so + j] += d * xh;
        dt[so + j] += d;
      }
    } else {
      for (let j = 0; j < n; j++) {
        const d = g[off + j], xh = (xv[off + j] - mu) * rs, gs = d * s[so + j];
        sumG += gs;
        sumGX += gs * xh;
        ds[so + j] += d * xh;
      }
    }
    const a = center ? sumG / n : 0, b = sumGX / n;
    for (let j = 0; j < n; j++) {
      dx[off + j] = rs * (g[off + j] * s[so + j] - a - (xv[off + j] - mu) * rs * b);
    }
  }
  const outs: TensorInfo[] = [out(backend, x.shape, dx), out(backend, [groups, n], Float32Array.from(ds))];
  if (withShift) outs.push(out(backend, [groups, n], Float32Array.from(dt)));
  return outs;
}

/** Inputs x, y, gate. Output x + y·gate. */
function gatedResidual({ inputs, backend }: KernelArgs) {
  const xv = f32(backend, inputs.x), yv = f32(backend, inputs.y), gv = f32(backend, inputs.gate);
  const n = inputs.x.shape.at(-1)!;
  const rows = n === 0 ? 0 : xv.length / n;
  const perGroup = rows / (gv.length / n);
  const o = newF32(xv.length);
  for (let r = 0, off = 0; r < rows; r++, off += n) {
    const go = Math.floor(r / perGroup) * n;
    for (let j = 0; j < n; j++) o[off + j] = xv[off + j] + yv[off + j] * gv[go + j];
  }
  return out(backend, inputs.x.shape, o);
}

/** Inputs dy, y, gate. Outputs [dy·gate, Σ_rows dy·y as [G, C]]. */
function gatedResidualGrad({ inputs, backend }: KernelArgs) {
  const d = f32(backend, inputs.dy), yv = f32(backend, inputs.y), gv = f32(backend, inputs.gate);
  const n = inputs.y.shape.at(-1)!;
  const rows = n === 0 ? 0 : yv.length / n;
  const groups = gv.length / n;
  const perGroup = rows / groups;
  const dyv = newF32(yv.length);
  const dg = new Float64Array(gv.length);
  for (let r = 0, off = 0; r < rows; r++, off += n) {
    const go = Math.floor(r / perGroup) * n;
    for (let j = 0; j < n; j++) {
      const e = d[off + j];
      dyv[off + j] = e * gv[go + j];
      dg[go + j] += e * yv[off + j];
    }
  }
  return [out(backend, inputs.y.shape, dyv), out(backend, [groups, n], Float32Array.from(dg))];
}

/** out[j] = x[j]·cos[j] + x[j^1]·sin[j] (forward) or x[j]·cos[j] + x[j^1]·sin[j^1] (backward). */
function pairRotation(backward: boolean) {
  return ({ inputs, backend }: KernelArgs) => {
    const x = f32(backend, inputs.x), cos = f32(backend, inputs.cos), sin = f32(backend, inputs.sin);
    const o = newF32(x.length);
    const period = cos.length;
    for (let base = 0; base < x.length; base += period) {
      if (backward) {
        for (let j = 0; j < period; j += 2) {
          const i = base + j, a = x[i], b = x[i + 1];
          o[i] = a * cos[j] + b * sin[j + 1];
          o[i + 1] = b * cos[j + 1] + a * sin[j];
        }
      } else {
        for (let j = 0; j < period; j += 2) {
          const i = base + j, a = x[i], b = x[i + 1];
          o[i] = a * cos[j] + b * sin[j];
          o[i + 1] = b * cos[j + 1] + a * sin[j + 1];
        }
      }
    }
    return out(backend, inputs.x.shape, o);
  };
}

/**
 * Whether the rotation kernels take tables of `tableShape` for x of `xShape`:
 * the same trailing shape, with leading axes of size 1 (repeated over x's
 * leading axes), and an even last axis.
 * @param xShape shape of x
 * @param tableShape shape of the cos and sin tables
 * @returns true when the kernels apply
 */
export function rotationFits(xShape: readonly number[], tableShape: readonly number[]): boolean {
  if (tableShape.length > xShape.length || xShape.length === 0) return false;
  if (xShape[xShape.length - 1] % 2 !== 0) return false;
  const lead = xShape.length - tableShape.length;
  let varying = false;
  for (let i = 0; i < tableShape.length; i++) {
    const t = tableShape[i], x = xShape[lead + i];
    if (t === x && t !== 1) varying = true;
    else if (t === 1 && x !== 1 && !varying) continue;
    else if (t !== x) return false;
  }
  return sizeOf(tableShape) > 0;
}

/** Kernel configs of this file. */
export const modulationConfigs = [
  blasConfig(MODULATED_NORM, modulatedNorm),
  blasConfig(MODULATED_NORM_GRAD, modulatedNormGrad),
  blasConfig(GATED_RESIDUAL, gatedResidual),
  blasConfig(GATED_RESIDUAL_GRAD, gatedResidualGrad),
  blasConfig(ROTATE_PAIRS, pairRotation(false)),
  blasConfig(ROTATE_PAIRS_GRAD, pairRotation(true)),
];

/**
 * Registers this file's kernels for the "blas" backend (once; a kernel name
 * already registered is left alone). Called when the module is imported.
 */
export function registerModulationKernels(): void {
  for (const k of modulationConfigs) {
    if (!tf.getKernel(k.kernelName, k.backendName)) tf.registerKernel(k);
  }
}

registerModulationKernels();

/** Depth of gradient tapes being recorded (0 outside tf.grad). */
export function gradientDepth(): number {
  return (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth;
}

/** True when `kernel` is registered for the active backend and every tensor is float32. */
export function kernelOpen(kernel: string, ...ts: tf.Tensor[]): boolean {
  return tf.getKernel(kernel, tf.getBackend()) != null && ts.every((t) => t.dtype === "float32");
}
