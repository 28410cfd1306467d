/**
 * The `--case finetune` step of `deno task bench`: the fine-tuning step the
 * model-design ablation runs (experiments/model_design.ts, its
 * `part-finetune` row), built as the animate task builds it
 * (lib/workbench/run_pipeline.ts): a `wan-toy` foundation given the VAE's
 * latent channels, the concat design with a reference and three poses
 * (`buildDesign`, pose projection zero-initialised), the `part` scope
 * (`resolveTrainable`), a micro-batch of 8 clips of 9×32×32 frames (latents
 * [8, 16, 3, 8, 8], reference [8, 16, 1, 8, 8], poses [8, 48, 3, 8, 8]) and
 * the frozen text side's context precomputed [8, text_len, text_dim], as
 * the pipeline encodes it once before training.
 *
 * A training step is the flow-matching loss (uniform σ), gradients of the
 * trainable parameters only, clipping to global norm 1 and an AdamW update
 * with the pipeline's no-decay rule; the sampling step is one forward pass.
 * Left out, as they cost next to nothing: condition dropping (it swaps
 * tensors) and the learning-rate schedule. The foundation is drawn, not
 * loaded, except that its head is drawn like any Linear: Wan initialises it
 * to zero, which with a frozen head would leave every trainable gradient
 * zero, where the pipeline's pretrained foundation has a trained head.
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §3 and its ablation of model
 * designs; Lipman et al. 2023 §4.1 (flow matching); Loshchilov & Hutter 2019
 * (AdamW); Pascanu et al. 2013 (gradient-norm clipping).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { flowMatching } from "../../lib/diffusion/flow_matching.ts";
import { sumOfSquares } from "../../lib/engine/sum_of_squares.ts";
import { flowMatchingLoss } from "../../lib/diffusion/flow_matching_loss.ts";
import { initWanParams } from "../../lib/model/init_wan_params.ts";
import type { WanConfig } from "../../lib/model/wan_config.ts";
import type { Params } from "../../lib/model/wan_model.ts";
import {
  buildDesign,
  DESIGN_PRESETS,
  type DesignConfig,
  designModelFn,
  resolveTrainable,
} from "../../lib/model/designs/mod.ts";
import { TextKVCache } from "../../lib/model/text_kv_cache.ts";
import { Prng } from "../../lib/random/mod.ts";
import { AdamW } from "../../lib/train/adamw.ts";

/** The concat design of the `part-finetune` row: shifted RoPE, reference, the three poses. */
export const FINETUNE_DESIGN: DesignConfig = DESIGN_PRESETS["part-finetune"].design;

/** The step's fixed inputs, in the order the PyTorch reference reads them. */
export interface FinetuneBatch {
  /** Clean latents [B, C, F, H, W]. */
  x0: tf.Tensor;
  noise: tf.Tensor;
  /** σ per sample. */
  sigma: Float32Array;
  /** Text context [B, text_len, text_dim]. */
  context: tf.Tensor;
  /** Reference latent [B, C, 1, H, W]. */
  reference: tf.Tensor;
  /** Pose latents [B, 3·C, F, H, W]. */
  pose: tf.Tensor;
}

/** What {@link finetuneStepInputs} returns. */
export interface FinetuneStepInputs {
  /** The DiT configuration (the preset with in_dim = out_dim = the latent channels). */
  cfg: WanConfig;
  /** Every parameter, foundation and design, by state-dict name. */
  params: Params;
  /** The trainable names (`resolveTrainable(design, names, "part")`). */
  trainable: string[];
  batch: FinetuneBatch;
  /** @returns the loss and the trainable parameters' gradients, without an update (the caller disposes them) */
  gradients(): { value: tf.Scalar; grads: Record<string, tf.Tensor> };
  /** Gradients, clipping and the AdamW update: the training step. @returns what {@link gradients} returns */
  update(): { value: tf.Scalar; grads: Record<string, tf.Tensor> };
  /** @returns the velocity at the noisy input (the sampling step; the caller disposes it) */
  forward(): tf.Tensor;
  /** Frees the weights, the inputs and the optimizer state. */
  dispose(): void;
}

/** Options of {@link finetuneStepInputs}. */
export interface FinetuneStepOptions {
  /** Micro-batch B. */
  batch: number;
  /** Latent frames, height, width (F, H, W). */
  latent: readonly number[];
  /** Latent channels C of the VAE. */
  channels: number;
  seed: number;
  /** Sampling steps keep the text side's cross-attention K/V between calls (lib/model TextKVCache; default true). */
  textCache?: boolean;
}

/** Parameters the pipeline gives no weight decay (lib/workbench/_dit_train.ts). */
export const noDecay = (n: string): boolean => n.endsWith(".bias") || n.includes("norm") || n.includes("modulation");

/**
 * @param preset the foundation's configuration (its in_dim/out_dim are replaced by `channels`)
 * @param options batch, latent grid, channels, seed
 * @returns the inputs, the step functions and their disposer
 * @example
 * ```ts ignore
 * const s = finetuneStepInputs(getPreset("wan-toy"), { batch: 8, latent: [3, 8, 8], channels: 16, seed: 0 });
 * const { value, grads } = s.update();
 * ```
 */
export function finetuneStepInputs(preset: WanConfig, options: FinetuneStepOptions): FinetuneStepInputs {
  const { batch: b, channels: c } = options;
  const [f, h, w] = options.latent;
  const cfg: WanConfig = { ...preset, in_dim: c, out_dim: c };
  const prng = new Prng(options.seed);
  const params = tf.tidy(() => {
    const foundation = { cfg, params: initWanParams(cfg, { prng: prng.fork(1) }) };
    const head = foundation.params["head.head.weight"]; // (out, dim): Xavier-uniform like Wan's other Linears
    const [out, dim] = head.shape as [number, number];
    const bound = Math.sqrt(6 / (out + dim));
    const draw = prng.fork(4);
    head.assign(
      tf.tensor(Float32Array.from({ length: head.size }, () => (2 * draw.uniform() - 1) * bound), head.shape),
    );
    return buildDesign(foundation, FINETUNE_DESIGN, {
      prng: prng.fork(3),
      latentChannels: c,
      shareFoundation: true,
      scope: "part",
    }).params;
  });
  const trainable = resolveTrainable(FINETUNE_DESIGN, Object.keys(params), "part");
  const data = prng.fork(2);
  const k = FINETUNE_DESIGN.poses.length;
  const normal = (shape: number[]) => tf.tensor(data.normals(shape.reduce((a, x) => a * x, 1)), shape);
  const batch: FinetuneBatch = {
    x0: normal([b, c, f, h, w]),
    noise: normal([b, c, f, h, w]),
    sigma: Float32Array.from({ length: b }, () => data.uniform()),
    context: normal([b, cfg.text_len, cfg.text_dim]),
    reference: normal([b, c, 1, h, w]),
    pose: normal([b, k * c, f, h, w]),
  };
  const sigma = Array.from(batch.sigma);
  const xt = flowMatching.noisy(batch.x0, batch.noise, sigma);
  const t = flowMatching.timesteps(sigma, b);
  const model = designModelFn(FINETUNE_DESIGN, { cfg, params });
  // The sampling step as a sampler runs it: the text side's K/V kept across calls on one context
  // (a saving PyTorch's reference does not make; --no-text-cache times the step without it).
  const textCache = options.textCache === false ? null : new TextKVCache();
  const sampleModel = textCache ? designModelFn(FINETUNE_DESIGN, { cfg, params }, { textCache }) : model;
  const cond = { context: batch.context, reference: batch.reference, pose: batch.pose };
  const trainVars = trainable.map((n) => params[n]);
  const opt = new AdamW(Object.fromEntries(trainable.map((n) => [n, params[n]])), {
    lr: 5e-4,
    weightDecay: 0.01,
    noDecay,
  });
  const gradients = () => {
    const { value, grads } = tf.variableGrads(
      () => flowMatchingLoss(model, batch.x0, { sigma, noise: batch.noise, cond }).loss,
      trainVars,
    );
    return { value, grads: Object.fromEntries(trainable.map((n) => [n, grads[params[n].name]])) };
  };
  return {
    cfg,
    params,
    trainable,
    batch,
    gradients,
    update() {
      const r = gradients();
      // Global L2 norm, clipped to 1 as train.clipNorm does (lib/train/train_loop.ts).
      const norm = tf.tidy(() => tf.sqrt(sumOfSquares(trainable.map((n) => r.grads[n]))));
      const g = norm.dataSync()[0];
      norm.dispose();
      opt.step(r.grads, 5e-4, { gradScale: g > 1 ? 1 / (g + 1e-6) : 1 });
      return r;
    },
    forward: () => sampleModel(xt, t, cond),
    dispose() {
      opt.dispose();
      textCache?.dispose();
      tf.dispose([batch.x0, batch.noise, batch.context, batch.reference, batch.pose, xt, t, ...Object.values(params)]);
    },
  };
}
