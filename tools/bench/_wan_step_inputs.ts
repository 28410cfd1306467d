/**
 * What a Wan training/sampling step benchmark runs on, built the same way by
 * `deno task bench` (wan_bench.ts) and `deno task bench:webgpu`
 * (bench_webgpu.ts): seeded weights, a flow-matching batch (clean
 * latents, noise, σ, the noisy input and its timesteps), a random text
 * context, the model function and its AdamW optimizer.
 */
import * as tf from "@tensorflow/tfjs-core";
import { flowMatching } from "../../lib/diffusion/flow_matching.ts";
import { flowMatchingLoss } from "../../lib/diffusion/flow_matching_loss.ts";
import { initWanParams } from "../../lib/model/init_wan_params.ts";
import type { WanConfig } from "../../lib/model/wan_config.ts";
import { TextKVCache } from "../../lib/model/text_kv_cache.ts";
import { wanModelFn } from "../../lib/model/wan_model_fn.ts";
import { Prng } from "../../lib/random/mod.ts";
import { AdamW } from "../../lib/train/adamw.ts";

/** The benchmark's fixed inputs and model. */
export interface WanStepInputs {
  /**
   * Forward, flow-matching loss, backward and the AdamW update (lr 1e-4).
   * @returns the loss and the gradients by parameter name (the caller disposes them)
   */
  update(): { value: tf.Scalar; grads: Record<string, tf.Tensor> };
  /** @returns the model's velocity at the noisy input and its timesteps: the sampling step (the caller disposes it) */
  forward(): tf.Tensor;
  /** @returns the first parameter (read it to wait for an update) */
  firstParam(): tf.Variable;
  /** Frees the weights, the inputs and the optimizer state. */
  dispose(): void;
}

/**
 * @param cfg the Wan config
 * @param options batch, latent frames/height/width and the seed
 * @returns the inputs, the step functions and their disposer
 * @example
 * ```ts ignore
 * const s = wanStepInputs(getPreset("wan-smoke"), { batch: 2, latent: [2, 4, 4], seed: 0 });
 * const { value, grads } = s.update();
 * ```
 */
export function wanStepInputs(
  cfg: WanConfig,
  options: {
    batch: number;
    latent: readonly [number, number, number] | readonly number[];
    seed: number;
    /** Sampling steps keep the text side's cross-attention K/V between calls (TextKVCache; default true). */
    textCache?: boolean;
  },
): WanStepInputs {
  const { batch } = options;
  const prng = new Prng(options.seed);
  const latent = [cfg.in_dim, ...options.latent];
  const size = latent.reduce((a, b) => a * b, batch);
  const params = tf.tidy(() => initWanParams(cfg, { prng: prng.fork(1) }));
  const data = prng.fork(2);
  const x0 = tf.tensor(data.normals(size), [batch, ...latent]);
  const noise = tf.tensor(data.normals(size), [batch, ...latent]);
  const context = tf.tensor(data.normals(batch * cfg.text_len * cfg.text_dim), [batch, cfg.text_len, cfg.text_dim]);
  const sigma = Float32Array.from({ length: batch }, () => data.uniform());
  const xt = flowMatching.noisy(x0, noise, sigma);
  const t = flowMatching.timesteps(sigma, batch);
  const model = wanModelFn({ cfg, params });
  const textCache = options.textCache === false ? null : new TextKVCache();
  const sampleModel = textCache ? wanModelFn({ cfg, params }, { textCache }) : model;
  const cond = { context };
  const opt = new AdamW(params, { lr: 1e-4, weightDecay: 0.01 });
  const names = Object.keys(params);
  const varList = names.map((n) => params[n]);
  return {
    update() {
      const { value, grads } = tf.variableGrads(
        () => flowMatchingLoss(model, x0, { sigma, noise, cond }).loss,
        varList,
      );
      const named = Object.fromEntries(names.map((n) => [n, grads[params[n].name]]));
      opt.step(named, 1e-4);
      return { value, grads: named };
    },
    forward: () => sampleModel(xt, t, cond),
    firstParam: () => params[names[0]],
    dispose() {
      opt.dispose();
      textCache?.dispose();
      tf.dispose([x0, noise, context, xt, t, ...Object.values(params)]);
    },
  };
}
