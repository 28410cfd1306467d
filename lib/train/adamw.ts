/**
 * AdamW with decoupled weight decay, whose state is plain named tensors so a
 * checkpoint can save and restore it exactly.
 *
 * References: Loshchilov & Hutter, "Decoupled Weight Decay Regularization"
 * (ICLR 2019), Algorithm 2; PyTorch `torch.optim.AdamW` (bias-corrected
 * moments, decay applied as p ← p − lr·λ·p before the Adam step).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { AdamW } from "./adamw.ts";
 * const w = tf.variable(tf.tensor1d([1, 2]), true, "w");
 * const opt = new AdamW({ w }, { lr: 0.1 });
 * opt.step({ w: tf.tensor1d([0.5, -0.5]) }, 0.1);
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import { adamWUpdate } from "../engine/adamw_update.ts";

/** Hyper-parameters of {@link AdamW}. */
export interface AdamWOptions {
  /** Base learning rate (the schedule passes the current one to `step`). */
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay λ. */
  weightDecay?: number;
  /** Parameter names that get no weight decay (e.g. norms, biases). */
  noDecay?: (name: string) => boolean;
}

/** The serialisable optimizer state: step count and the two moments per parameter. */
export interface AdamWState {
  step: number;
  m: Record<string, tf.Tensor>;
  v: Record<string, tf.Tensor>;
}

/** AdamW over a named set of trainable variables; frozen ones get no state. */
export class AdamW {
  readonly params: Record<string, tf.Variable>;
  readonly options: Required<AdamWOptions>;
  #step = 0;
  #m: Record<string, tf.Variable> = {};
  #v: Record<string, tf.Variable> = {};

  /**
   * @param params the trainable variables by name (only these get state)
   * @param options hyper-parameters
   */
  constructor(params: Record<string, tf.Variable>, options: AdamWOptions) {
    const o: Required<AdamWOptions> = {
      lr: options.lr,
      beta1: options.beta1 ?? 0.9,
      beta2: options.beta2 ?? 0.999,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0.01,
      noDecay: options.noDecay ?? (() => false),
    };
    for (const [k, v] of Object.entries({ lr: o.lr, eps: o.eps, weightDecay: o.weightDecay })) {
      if (!(v >= 0) || !Number.isFinite(v)) {
        throw new RangeError(`Cannot create AdamW as ${k} must be a finite number >= 0: received ${v}`);
      }
    }
    for (const [k, v] of Object.entries({ beta1: o.beta1, beta2: o.beta2 })) {
      if (!(v >= 0 && v < 1)) throw new RangeError(`Cannot create AdamW as ${k} must be in [0, 1): received ${v}`);
    }
    this.params = params;
    this.options = o;
    for (const [name, p] of Object.entries(params)) {
      // Inside tidy: the zero tensors the variables are made from are freed.
      this.#m[name] = tf.tidy(() => tf.variable(tf.zerosLike(p), false, `adamw/m/${name}/${crypto.randomUUID()}`));
      this.#v[name] = tf.tidy(() => tf.variable(tf.zerosLike(p), false, `adamw/v/${name}/${crypto.randomUUID()}`));
    }
  }

  /** Optimizer steps taken so far. */
  get iterations(): number {
    return this.#step;
  }

  /**
   * Applies one update. Gradients are not disposed (the caller owns them).
   * @param grads gradient per trainable name (missing names are an error)
   * @param lr the learning rate for this step
   * @param options gradScale: every gradient is used as grad·gradScale (a clipping factor; default 1)
   */
  step(grads: Record<string, tf.Tensor>, lr: number, options: { gradScale?: number } = {}): void {
    const { beta1, beta2, eps, weightDecay, noDecay } = this.options;
    this.#step++;
    for (const [name, p] of Object.entries(this.params)) {
      const g = grads[name];
      if (!g) throw new TypeError(`Cannot step AdamW: no gradient for trainable parameter "${name}"`);
      // One fused pass per parameter on blas (composed ops elsewhere): bias-corrected moments,
      // p ← p·(1 − lr·λ) − lr·m̂/(√v̂ + ε).
      const r = adamWUpdate(p, { grad: g, m: this.#m[name], v: this.#v[name] }, {
        lr,
        step: this.#step,
        beta1,
        beta2,
        eps,
        weightDecay: weightDecay > 0 && !noDecay(name) ? weightDecay : 0,
        gradScale: options.gradScale,
      });
      this.#m[name].assign(r.m);
      this.#v[name].assign(r.v);
      p.assign(r.param);
      tf.dispose([r.m, r.v, r.param]);
    }
  }

  /** @returns a snapshot of the state (the tensors are clones the caller disposes). */
  getState(): AdamWState {
    const m: Record<string, tf.Tensor> = {}, v: Record<string, tf.Tensor> = {};
    for (const name of Object.keys(this.params)) {
      m[name] = tf.clone(this.#m[name]);
      v[name] = tf.clone(this.#v[name]);
    }
    return { step: this.#step, m, v };
  }

  /**
   * Restores a state saved by `getState` (shapes must match).
   * @param state the saved step and moments
   */
  setState(state: { step: number; m: Record<string, tf.Tensor>; v: Record<string, tf.Tensor> }): void {
    for (const name of Object.keys(this.params)) {
      for (const [kind, src, dst] of [["m", state.m, this.#m], ["v", state.v, this.#v]] as const) {
        const t = src[name];
        if (!t) throw new TypeError(`Cannot restore AdamW state: missing ${kind} for "${name}"`);
        if (t.shape.join() !== dst[name].shape.join()) {
          throw new RangeError(
            `Cannot restore AdamW state: ${kind} for "${name}" has shape [${t.shape}], expected [${dst[name].shape}]`,
          );
        }
        dst[name].assign(t);
      }
    }
    this.#step = state.step;
  }

  /** Frees the moment tensors. */
  dispose(): void {
    for (const t of [...Object.values(this.#m), ...Object.values(this.#v)]) t.dispose();
  }
}
