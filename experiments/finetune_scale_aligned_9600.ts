/**
 * Does the aligned-reference part fine-tune without CFG pass the "animates"
 * threshold at twice the steps of `finetune_scale_aligned_long` (9,600), on
 * three seeds?
 *
 * Recipe `finetune-scale` with the design preset `part-finetune-frame-shift`
 * (the reference unshifted, at frame F), no guidance for the evaluation samples,
 * and `train.steps: 9600` with step 4,800 kept as well. Under the recipe's constant learning rate the
 * first 4,800 steps are those of `finetune_scale_aligned_long`, so its runs
 * may be continued from that experiment's step-4,800 checkpoints
 * (tools/probes/branch_run.ts records where each run branched).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "does the aligned part fine-tune without CFG pass the animates threshold at 9,600 steps on three seeds?",
  recipe: "finetune-scale",
  overrides: {
    model: { design: "part-finetune-frame-shift" },
    train: { steps: 9600 },
    eval: { keptSteps: { steps: [300, 600, 1200, 2400, 4800] } },
    sample: { guidance: { kind: "none" } },
  },
  axes: { seed: [0, 1, 2] },
});
