/**
 * The smoke sweep: the whole pipeline (data → VAE → Wan DiT → flow matching →
 * Euler sampling → PSNR/SSIM/flicker) at the smallest size, two learning
 * rates, in well under five minutes on two cores. It proves the path works;
 * its numbers carry no conclusion.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "whole pipeline at the smallest size, two DiT learning rates",
  recipe: "smoke",
  overrides: {},
  axes: { "train.lr": [1e-3, 3e-3] },
});
