/**
 * The paper's warmup ablation: uniform vs low-noise warmup vs high-noise
 * warmup of the training timestep distribution, same budget. The paper: low-
 * noise warmup converges faster than uniform, high-noise warmup slower. The
 * validation loss at fixed σ (identical across samplers) is the comparison;
 * the training loss under different samplers is not comparable.
 *
 * Recipe `finetune-300`, the ablations' first scale, which its committed runs resolve from; it moves to
 * `finetune` (the scale at which the designs animate) when the sweep is re-run (issue 31).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "uniform vs low-noise vs high-noise timestep warmup (part fine-tune), 3 seeds",
  recipe: "finetune-300",
  overrides: {},
  axes: {
    "diffusion.timesteps": [
      { kind: "uniform" },
      { kind: "low-noise-warmup", alpha: 0.8, warmup: 150 },
      { kind: "high-noise-warmup", alpha: -0.8, warmup: 150 },
    ],
    seed: [0, 1, 2],
  },
});
