/**
 * Whether autoguidance helps more when applied only in a band of noise levels
 * (Kynkäänniemi et al. 2024): the foundation continued 2,000 steps with
 * logit-normal timesteps (`pretrain_dit_vae_video_timesteps` run 0) guided by
 * `pretrain_dit_vae_video_guide` at scales 2 and 3, at every step or only at
 * the steps starting at σ in [0.2, 0.85] or [0.5, 1]. Its runs re-make those
 * scores of that run (its samples/foundation_score_*interval*\/ folders and
 * the every-step ones). Neither DiT's weights are committed: re-train them
 * first (`deno task ablate pretrain_dit_vae_video_timesteps --only 0`,
 * `deno task ablate pretrain_dit_vae_video_guide`).
 */
import { auto, defineExperiment, GUIDES } from "./_recipes.ts";

export default defineExperiment({
  question: "autoguidance of the logit-normal continued foundation at every step or only at σ in [0.2, 0.85] or [0.5, 1]",
  recipe: "foundation-sampling",
  overrides: {
    sampling: { foundation: "results/pretrain_dit_vae_video_timesteps/0-timesteps=logit-normal_0_1-shift=1" },
  },
  axes: {
    "sampling.sampler.guidance": [auto(GUIDES.eighth, 2), auto(GUIDES.eighth, 3)],
    "sampling.sampler.interval": [null, { min: 0.2, max: 0.85 }, { min: 0.5, max: 1 }],
  },
});
