/**
 * `pretrain_dit_vae_video_guide` stopped at a quarter of its steps (400 of
 * 1,625, a thirty-second of the foundation's 13,000): the third point on the
 * guide axis. Guided by the 1,625-step DiT the foundation's samples show
 * MoveNet 0.217 of the keypoints, by the 800-step one 0.267 (the run's own
 * classifier-free samples 0.171; results/README.md): the weaker guide helped
 * more, so this measures whether a weaker one still does, or where it stops.
 *
 * References: Karras et al. 2024, "Guiding a Diffusion Model with a Bad Version
 * of Itself" (autoguidance).
 */
import { defineExperiment } from "../lib/workbench/mod.ts";
import guide from "./pretrain_dit_vae_video_guide.ts";

export default defineExperiment({
  description: "the foundation's DiT recipe at 1/32 of its steps on 4,096 clips: the weakest of the three guides",
  base: {
    ...guide.base,
    train: { ...guide.base.train, steps: 400, valEvery: 50, checkpointEvery: 100 },
  },
  axes: {},
});
