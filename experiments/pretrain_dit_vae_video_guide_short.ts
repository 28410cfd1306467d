/**
 * `pretrain_dit_vae_video_guide` stopped at half its steps (800 of 1,625, a
 * sixteenth of the foundation's 13,000; the cosine schedule compressed to
 * them): a still weaker DiT to guide the foundation with. Autoguidance's
 * gain depends on how much worse the guide is (Karras et al. 2024 trained
 * theirs for a fraction of the main model's iterations, and smaller); this run
 * measures one more point on that axis, with
 * the autoguidance values of `deno task ablate foundation_sampling`.
 *
 * References: Karras et al. 2024, "Guiding a Diffusion Model with a Bad Version
 * of Itself" (autoguidance).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "the foundation's DiT recipe at 1/16 of its steps on 4,096 clips: a weaker guide than pretrain_dit_vae_video_guide",
  recipe: "guide",
  overrides: { train: { steps: 800, valEvery: 100, checkpointEvery: 200 } },
  axes: {},
});
