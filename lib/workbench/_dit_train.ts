/**
 * The DiT training phase shared by both tasks: flow matching with the run's
 * timestep sampler (iteration-aware, for the warmups), the run's optimizer and
 * schedule settings, loss-by-timestep buckets, and the validation loss at
 * fixed σ with fixed noise (comparable across steps, runs and samplers).
 */
import * as tf from "@tensorflow/tfjs-core";
import { type Cond, flowMatchingLoss, makeTimestepSampler, type ModelFn } from "../diffusion/mod.ts";
import type { Prng } from "../random/prng.ts";
import { type DataSource, trainLoop, type TrainResult } from "../train/mod.ts";
import type { AnimateRunConfig, PretrainRunConfig } from "./run_config.ts";

/** A run that trains a DiT. */
type DitRunConfig = PretrainRunConfig | AnimateRunConfig;
import type { RunContext } from "./run_sweep.ts";
import { ProgressBar } from "../io/progress_bar.ts";
import { stream } from "./_pipeline_data.ts";

/**
 * A batch of the DiT phase: clean latents and the conditions that go with
 * them; with train.maskWeight > 0 also `mask`, the character's mask on the
 * latent grid [B, 1, F', H', W'].
 */
export interface DitBatch {
  latents: tf.Tensor;
  [key: string]: tf.Tensor;
}

/**
 * @param cfg the run config
 * @param ctx the run folder and stop flag
 * @param options params, trainable names, the model, how a batch becomes a Cond (may draw drops from the PRNG), data, validation
 * @returns the training result; with `train.emaDecay` > 0 the trainable params
 *   hold the EMA weights afterwards (unless interrupted)
 * @throws {TypeError} when train.maskWeight > 0 and a batch has no `mask`
 */
export async function ditTrain(
  cfg: DitRunConfig,
  ctx: RunContext,
  options: {
    params: Record<string, tf.Variable>;
    trainable: readonly string[];
    model: ModelFn;
    cond: (batch: DitBatch, prng: Prng) => Cond;
    data: DataSource<DitBatch>;
    validate?: (step: number) => Promise<Record<string, number>>;
  },
): Promise<TrainResult> {
  const sampler = makeTimestepSampler({ ...cfg.diffusion.timesteps, shift: cfg.diffusion.shift });
  const bar = new ProgressBar(`${ctx.label} dit`, cfg.train.steps);
  const t = cfg.train;
  const res = await trainLoop({
    params: options.params,
    trainable: options.trainable,
    loss: (batch, { prng, step }) => {
      const b = batch.latents.shape[0];
      const sigma = sampler(b, { prng, iteration: step });
      const noise = tf.tensor(prng.normals(batch.latents.size), batch.latents.shape);
      const cond = options.cond(batch, prng);
      // The character's latents weigh 1 + λ (train.maskWeight): unweighted, the loss is mostly background.
      const lambda = cfg.train.maskWeight;
      if (lambda > 0 && !("mask" in batch)) throw new TypeError(`train.maskWeight is ${lambda} but the batch has no character mask`);
      const elementWeights = lambda > 0 ? tf.add(tf.mul(batch.mask, lambda), 1) : undefined; // (B, 1, F', H', W')
      const { loss, perSample } = flowMatchingLoss(options.model, batch.latents, { sigma, noise, cond, elementWeights });
      tf.dispose([noise, elementWeights ?? []]);
      // A cond function may hand back tensors it owns outside the tape's scope (dropConditions' clones):
      // released after the backward pass. The batch's own tensors are the data source's to free.
      const own = new Set(Object.values(batch));
      const release = Object.values(cond).filter((t) => !own.has(t));
      // Buckets are by the sampler's s before the shift: the distribution the warmups change.
      const s = cfg.diffusion.shift === 1 ? sigma : sigma.map((v) => unshift(v, cfg.diffusion.shift));
      return { loss, perSample: { loss: perSample, s: tf.tensor1d(s) }, release };
    },
    data: options.data,
    steps: t.steps,
    microBatch: t.microBatch,
    accumulation: t.accumulation,
    lr: t.lr,
    schedule: t.schedule,
    weightDecay: t.weightDecay,
    noDecay: (n) => n.endsWith(".bias") || n.includes("norm") || n.includes("modulation"),
    clipNorm: t.clipNorm,
    emaDecay: t.emaDecay,
    prng: stream(cfg.seed, "dit-train"),
    dir: ctx.dir,
    name: "dit",
    checkpointEvery: t.checkpointEvery,
    keepSteps: cfg.task === "animate" ? cfg.eval.keptSteps?.steps : undefined,
    validate: t.valEvery > 0 && options.validate ? { every: t.valEvery, fn: options.validate } : undefined,
    buckets: t.buckets,
    shouldStop: ctx.shouldStop,
    onStep: ({ step, loss, samplesPerSec }) => bar.update(step, { loss, "samples/s": samplesPerSec }),
  });
  bar.done();
  if (res.ema) {
    // The EMA weights are the trained model from here on: the final validation
    // loss, the saved checkpoint and the samples use them. (An interrupted run
    // keeps its raw weights; its checkpoint holds both, and resuming continues both.)
    if (!res.interrupted) for (const [n, e] of Object.entries(res.ema)) options.params[n].assign(e);
    tf.dispose(Object.values(res.ema));
  }
  return res;
}

/** Inverse of σ' = shift·σ/(1+(shift−1)·σ). */
function unshift(v: number, shift: number): number {
  return v / (shift - (shift - 1) * v);
}

/**
 * The validation loss on held-out latents at the run's fixed σ grid, with
 * noise drawn from a fixed stream: identical inputs at every call, and in
 * every run with the same held-out clips and seed whatever its timestep
 * sampler and shift (the grid is the actual noise level; diffusion.shift does
 * not move it). It is
 * unweighted whatever train.maskWeight is, so runs stay comparable. Given the
 * held-out clips' character masks on the latent grid it also reports
 * `val_loss_character`: the squared error over the character's latent
 * positions only (Σ mask·err / Σ mask per σ, averaged over the grid), from
 * the same forward passes.
 * @param cfg the run config
 * @param model the model
 * @param data held-out latents, a function giving their Cond, optionally their latent masks [N, 1, F', H', W']
 * @returns an async function of the step giving { val_loss, val_loss_s<σ> …, val_loss_character? }
 */
export function validationLoss(
  cfg: DitRunConfig,
  model: ModelFn,
  data: { latents: tf.Tensor; cond: () => Cond; mask?: tf.Tensor },
): (step: number) => Promise<Record<string, number>> {
  return async () => {
    const out: Record<string, number> = {};
    let sum = 0, sumCharacter = 0;
    const { latents, mask } = data;
    let maskMean = 0;
    if (mask) {
      const m = tf.mean(mask);
      maskMean = (await m.data())[0]; // async: webgpu has no synchronous read-back
      m.dispose();
    }
    // The grid is the noise level itself, not shifted by diffusion.shift: runs at different shifts see the same inputs.
    for (const [i, s] of cfg.train.valSigmas.entries()) {
      const noise = tf.tensor(stream(cfg.seed, `val-${i}`).normals(latents.size), latents.shape);
      const [loss, masked] = tf.tidy(() => {
        const sigma = new Array(latents.shape[0]).fill(s);
        const r = flowMatchingLoss(model, latents, { sigma, noise, cond: data.cond(), elementWeights: mask });
        return [tf.mean(r.perSample), r.loss];
      });
      const v = (await loss.data())[0];
      const m = (await masked.data())[0];
      tf.dispose([loss, masked, noise]);
      out[`val_loss_s${s}`] = v;
      sum += v;
      if (maskMean > 0) sumCharacter += m / maskMean; // mean_b mean(mask·err) / mean(mask)
    }
    out.val_loss = sum / cfg.train.valSigmas.length;
    if (maskMean > 0) out.val_loss_character = sumCharacter / cfg.train.valSigmas.length;
    return out;
  };
}
