/**
 * Where the adopted foundation's samples lose the figure: each sample starts
 * from its own clip's latents noised to the schedule's step
 * `steps − ⌊strength·steps⌋` (SDEdit) instead of pure noise, with the same
 * captions, noise and classifier-free sampler as `foundation_sampling`.
 * Above the starting noise level the clip's layout is kept, below it the DiT
 * draws. Its runs re-make the strength scores of
 * results/pretrain_dit_vae_video/0 (samples/foundation_score_strength=*\/).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "the adopted foundation's samples started from the clips' own latents at strengths 0.3–0.95 (SDEdit)",
  recipe: "foundation-sampling",
  overrides: {},
  axes: {
    "sampling.sampler.init": [{ strength: 0.3 }, { strength: 0.6 }, { strength: 0.85 }, { strength: 0.95 }],
  },
});
