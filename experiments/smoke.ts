/**
 * The smoke sweep: the whole pipeline (data → VAE → Wan DiT → flow matching →
 * Euler sampling → PSNR/SSIM/flicker) at the smallest size, two learning
 * rates, in well under five minutes on two cores. It proves the path works;
 * its numbers carry no conclusion.
 */
import { defineExperiment } from "../lib/workbench/mod.ts";

export default defineExperiment({
  description: "whole pipeline at the smallest size, two DiT learning rates",
  base: {
    seed: 0,
    data: { frames: 5, height: 32, width: 32, trainClips: 16, valClips: 4, evalClips: 4 },
    vae: { preset: "vae-smoke", steps: 30, microBatch: 4 },
    model: { preset: "wan-smoke" },
    train: { steps: 30, microBatch: 4, accumulation: 1, checkpointEvery: 10, valEvery: 10 },
    sample: { solver: "euler", steps: 8 },
  },
  axes: { "train.lr": [1e-3, 3e-3] },
});
