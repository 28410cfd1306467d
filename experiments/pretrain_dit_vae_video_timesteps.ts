/**
 * The adopted foundation's DiT (`pretrain_dit_vae_video`) trained 2,000 steps
 * more under four timestep distributions: logit-normal(0, 1) or uniform,
 * each at shift 1 or 3 (the shift applies in training and sampling); its own,
 * logit-normal at shift 1, is the control. Why: denoising real latents from noise level s and scoring
 * MoveNet on the result (48 held-out clips, Euler, CFG 3) gives 0.315 of the
 * keypoints at s = 0.2, 0.231 at s = 0.8, 0.201 at 0.9 and 0.160 at 0.95 and
 * from pure noise: the figure's layout is lost between s = 0.8 and 0.95.
 * Logit-normal(0, 1) puts 1.4% of the training steps above s = 0.9 (uniform
 * 10%; at shift 3, 13.6% and 25%), so the DiT has barely been trained where its
 * samples decide where the figure is. Each run starts from the foundation's
 * weights with a fresh optimizer (lr 5e-4 cosine to 5e-5) and the same data
 * order, and `deno task foundation:score` scores their samples.
 *
 * Result (results/README.md; 33 min each, four at once on one thread each):
 * the distribution makes no difference. MoveNet finds 0.188–0.192 of the
 * keypoints in the four runs' samples, within ±0.003 of the control paired
 * clip by clip (± 0.012); all four gain about +0.02 (± 0.013) on the
 * foundation's 0.171 from the 2,000 steps themselves. The committed run's
 * own score (`foundation_score_strength=D.json`, UniPC) puts most of the
 * loss between σ = 0.6 and 0.85, not above 0.85 as the Euler probe did. The
 * two shift-3 runs logged their validation losses on the shifted grid (the
 * code before 5eb6fb9): they compare with each other only.
 */
import { defineExperiment } from "../lib/workbench/mod.ts";
import pretrainDitVaeVideo from "./pretrain_dit_vae_video.ts";

export default defineExperiment({
  description:
    "the foundation DiT trained 2,000 steps more: logit-normal (control) or uniform timesteps, at shift 1 or 3",
  base: {
    ...pretrainDitVaeVideo.base,
    model: { ...pretrainDitVaeVideo.base.model, checkpoint: "results/pretrain_dit_vae_video/0/dit" },
    train: { ...pretrainDitVaeVideo.base.train, steps: 2000, lr: 5e-4, minLr: 5e-5 },
  },
  axes: {
    "diffusion.timesteps": [{ kind: "logit-normal", mean: 0, std: 1 }, { kind: "uniform" }],
    "diffusion.shift": [1, 3],
  },
});
