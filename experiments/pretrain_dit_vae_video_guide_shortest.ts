/**
 * `pretrain_dit_vae_video_guide` stopped at a quarter of its steps (400 of
 * 1,625, a thirty-second of the foundation's 13,000): the third point on the
 * guide axis. The 800-step guide helped the foundation more than the
 * 1,625-step one (results/JOURNAL.md); question: does a still weaker guide
 * help more, or where does the axis stop?
 *
 * References: Karras et al. 2024, "Guiding a Diffusion Model with a Bad Version
 * of Itself" (autoguidance).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "the foundation's DiT recipe at 1/32 of its steps on 4,096 clips: the weakest of the three guides",
  recipe: "guide",
  overrides: { train: { steps: 400, valEvery: 50, checkpointEvery: 100 } },
  axes: {},
});
