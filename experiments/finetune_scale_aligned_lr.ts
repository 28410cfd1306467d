/**
 * Does the learning rate bound the aligned design's background plateau? Part fine-tune at twice the
 * learning rate (1e-3) against `finetune_scale_aligned_long/0` (5e-4) at the same recipe, seed and steps.
 *
 * Recipe `finetune-scale` (4,800 steps on 2,048 clips) with the design preset `part-finetune-frame-shift`,
 * `train.lr: 1e-3`, no guidance for the evaluation samples; seed 0, whose evaluation draw is the hardest of
 * the three (issue 28).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "does part fine-tune of the aligned-reference design at twice the learning rate keep the background better at 4,800 steps?",
  recipe: "finetune-scale",
  overrides: {
    model: { design: "part-finetune-frame-shift" },
    train: { lr: 1e-3 },
    sample: { guidance: { kind: "none" } },
  },
  axes: { seed: [0] },
});
