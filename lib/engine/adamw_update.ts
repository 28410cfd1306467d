/**
 * One AdamW step for one parameter: new parameter, first and second moments
 * from the old ones and the gradient. One kernel (a single pass) on the blas
 * backend, the composed tf ops of lib/train/adamw.ts elsewhere. The caller
 * assigns the results to its variables (and disposes them).
 *
 * References: Loshchilov & Hutter 2019, "Decoupled Weight Decay
 * Regularization", Algorithm 2; PyTorch `torch.optim.AdamW` (bias-corrected
 * moments, decay applied as p ← p − lr·λ·p before the Adam step).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { adamWUpdate } from "./adamw_update.ts";
 * await initEngine({ backend: "cpu" });
 * const r = adamWUpdate(tf.tensor([1]), { grad: tf.tensor([0.5]), m: tf.zeros([1]), v: tf.zeros([1]) }, {
 *   lr: 0.1, step: 1,
 * });
 * console.log(r.param.dataSync()[0]); // ≈ 0.9: the first step moves by lr·sign(g)
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import { ADAMW_UPDATE } from "./_fused_adamw.ts";

/** Hyper-parameters of one {@link adamWUpdate}. */
export interface AdamWUpdateOptions {
  /** Learning rate of this step. */
  lr: number;
  /** Step number t >= 1 (for the bias corrections 1 − βᵗ). */
  step: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay λ (default 0): p is scaled by 1 − lr·λ. */
  weightDecay?: number;
  /** The gradient is used as grad·gradScale (default 1; e.g. a clipping factor), rounded as `tf.mul` rounds it. */
  gradScale?: number;
}

/** The updated parameter and moments (new tensors; the caller assigns or disposes them). */
export interface AdamWUpdateResult {
  param: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
}

/**
 * @param param the parameter p
 * @param state its gradient and current moments, each p's shape
 * @param options learning rate, step and hyper-parameters
 * @returns p′, m′, v′
 */
export function adamWUpdate(
  param: tf.Tensor,
  state: { grad: tf.Tensor; m: tf.Tensor; v: tf.Tensor },
  options: AdamWUpdateOptions,
): AdamWUpdateResult {
  const { grad, m, v } = state;
  const { lr, step } = options;
  const beta1 = options.beta1 ?? 0.9, beta2 = options.beta2 ?? 0.999, eps = options.eps ?? 1e-8;
  const weightDecay = options.weightDecay ?? 0;
  for (const [name, t] of [["grad", grad], ["m", m], ["v", v]] as const) {
    if (!tf.util.arraysEqual(t.shape, param.shape)) {
      throw new RangeError(
        `Cannot update with AdamW as ${name} must have shape [${param.shape}]: received [${t.shape}]`,
      );
    }
  }
  if (!Number.isInteger(step) || step < 1) {
    throw new RangeError(`Cannot update with AdamW as step must be an integer >= 1: received ${step}`);
  }
  const bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
  const decay = weightDecay > 0 ? 1 - lr * weightDecay : 1;
  const gradScale = Math.fround(options.gradScale ?? 1); // as a float32 scalar tensor holds it
  if (!Number.isFinite(gradScale)) {
    throw new RangeError(`Cannot update with AdamW as gradScale must be finite: received ${options.gradScale}`);
  }
  const all = [param, grad, m, v];
  if (all.every((t) => t.dtype === "float32") && tf.getKernel(ADAMW_UPDATE, tf.getBackend())) {
    const [p1, m1, v1] = tf.engine().runKernel(ADAMW_UPDATE, { p: param, g: grad, m, v }, {
      lr,
      beta1,
      beta2,
      eps,
      decay,
      bc1,
      bc2,
      gradScale,
    }) as tf.Tensor[];
    return { param: p1, m: m1, v: v1 };
  }
  return tf.tidy(() => {
    const g = gradScale === 1 ? grad : tf.mul(grad, gradScale);
    const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
    const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
    const update = tf.div(tf.div(m1, bc1), tf.add(tf.sqrt(tf.div(v1, bc2)), eps));
    const p1 = tf.sub(decay === 1 ? param : tf.mul(param, decay), tf.mul(update, lr));
    return { param: p1, m: m1, v: v1 };
  });
}
