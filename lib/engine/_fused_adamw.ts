/**
 * The AdamW update of one parameter as a single blas kernel: reads p, g, m, v
 * once and writes p′, m′, v′, where the composed update costs about fifteen
 * full passes and as many TensorFlow.js ops per parameter.
 *
 *   m′ = β₁·m + (1 − β₁)·g
 *   v′ = β₂·v + (1 − β₂)·g²
 *   p′ = decay·p − lr·(m′ / bc₁) / (√(v′ / bc₂) + ε),  decay = 1 − lr·λ (or 1)
 *
 * Registered for the "blas" backend when this module is first imported.
 *
 * References: Loshchilov & Hutter 2019, "Decoupled Weight Decay
 * Regularization", Algorithm 2; PyTorch `torch.optim.AdamW`; lib/train/adamw.ts
 * (the same update as composed ops).
 */
import * as tf from "@tensorflow/tfjs-core";
import { blasConfig, f32, type KernelArgs, out } from "./_kernel_utils.ts";
import { newF32 } from "./_pool.ts";

/** Kernel name. */
export const ADAMW_UPDATE = "BlasAdamWUpdate";

/** Inputs p, g, m, v; attrs lr, beta1, beta2, eps, decay, bc1, bc2, gradScale (g is used as g·gradScale). Outputs [p′, m′, v′]. */
function adamWUpdate({ inputs, backend, attrs }: KernelArgs) {
  const p = f32(backend, inputs.p), g = f32(backend, inputs.g), m = f32(backend, inputs.m), v = f32(backend, inputs.v);
  const a = attrs as Record<string, number>;
  const { lr, beta1, beta2, eps, decay } = a;
  const c1 = 1 - beta1, c2 = 1 - beta2, inv1 = 1 / a.bc1, inv2 = 1 / a.bc2;
  const scale = a.gradScale ?? 1; // a float32 value: g·scale rounds as tf.mul(g, scale) does
  const n = p.length;
  const p1 = newF32(n), m1 = newF32(n), v1 = newF32(n);
  for (let i = 0; i < n; i++) {
    const gi = scale === 1 ? g[i] : Math.fround(g[i] * scale);
    const mi = Math.fround(m[i] * beta1 + gi * c1);
    const vi = Math.fround(v[i] * beta2 + gi * gi * c2);
    m1[i] = mi;
    v1[i] = vi;
    p1[i] = p[i] * decay - lr * (mi * inv1) / (Math.sqrt(vi * inv2) + eps);
  }
  const shape = inputs.p.shape;
  return [out(backend, shape, p1), out(backend, shape, m1), out(backend, shape, v1)];
}

/** Kernel configs of this file. */
export const adamWConfigs = [blasConfig(ADAMW_UPDATE, adamWUpdate)];

/** Registers this file's kernel for the "blas" backend (once). Called when the module is imported. */
export function registerAdamWKernel(): void {
  for (const k of adamWConfigs) if (!tf.getKernel(k.kernelName, k.backendName)) tf.registerKernel(k);
}

registerAdamWKernel();
