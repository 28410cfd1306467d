/**
 * Does the aligned-reference part fine-tune without CFG keep closing the
 * background gap from 9,600 to 19,200 steps, and pass the "animates"
 * threshold there on three seeds?
 *
 * `finetune_scale_aligned_9600` with one change: `train.steps: 19200`, step
 * 9,600 kept as well. Under the recipe's constant learning rate its first
 * 9,600 steps are that experiment's, so its runs may be continued from its
 * final checkpoints (tools/probes/branch_run.ts records where each branched).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "does the aligned part fine-tune without CFG pass the animates threshold at 19,200 steps on three seeds?",
  recipe: "finetune-scale",
  overrides: {
    model: { design: "part-finetune-frame-shift" },
    train: { steps: 19200 },
    eval: { keptSteps: { steps: [300, 600, 1200, 2400, 4800, 9600] } },
    sample: { guidance: { kind: "none" } },
  },
  axes: { seed: [0, 1, 2] },
});
