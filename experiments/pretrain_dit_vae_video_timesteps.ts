/**
 * The adopted foundation's DiT (`pretrain_dit_vae_video`) trained 2,000 steps
 * more under four timestep distributions: logit-normal(0, 1) or uniform,
 * each at shift 1 or 3 (the shift applies in training and sampling); its own,
 * logit-normal at shift 1, is the control. Why: a probe denoising real
 * latents from noise level s (results/JOURNAL.md) put the loss of the
 * figure's layout between s = 0.8 and 0.95, where logit-normal(0, 1) puts few
 * of the training steps, so the DiT has barely been trained where its samples
 * decide where the figure is. Question: does more weight on high noise keep
 * the figure? Each run starts from the foundation's weights with a fresh
 * optimizer (lr 5e-4 cosine to 5e-5) and the same data order, and
 * a `sample` task (experiments/foundation_sampling*.ts) scores their samples. Outcome:
 * results/JOURNAL.md.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question:
    "the foundation DiT trained 2,000 steps more: logit-normal (control) or uniform timesteps, at shift 1 or 3",
  recipe: "foundation-dit",
  overrides: {
    model: { checkpoint: "results/pretrain_dit_vae_video/0/dit" },
    train: { steps: 2000, lr: 5e-4, schedule: { kind: "cosine", warmupSteps: 50, minLr: 5e-5 } },
  },
  axes: {
    "diffusion.timesteps": [{ kind: "logit-normal", mean: 0, std: 1 }, { kind: "uniform" }],
    "diffusion.shift": [1, 3],
  },
});
