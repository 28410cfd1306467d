/**
 * The paper's batch-size × iterations ablation: effective batch sizes by
 * accumulation at the same learning rate, with checkpoints kept at increasing
 * iterations. The paper: larger batches converge faster; long training
 * improves pose control slightly but loses diversity and background
 * preservation. Each run is evaluated at every kept step (eval.keptSteps):
 * pose_error@N / pose_missed@N (MoveNet on the samples vs the driving
 * keypoints), diversity@N (Diversity-syn over 3 noise seeds), background@N
 * (I2V Background-syn) and val_loss@N.
 *
 * Recipe `finetune-300`, the ablations' first scale, which its committed runs resolve from; it moves to
 * `finetune` (the scale at which the designs animate) when the sweep is re-run (issue 31).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question:
    "effective batch 8 / 16 / 32 (accumulation 1 / 2 / 4) with checkpoints at 100, 200, 300 steps, each scored for pose alignment, diversity and background preservation",
  recipe: "finetune-300",
  overrides: {
    eval: { keptSteps: { steps: [100, 200, 300], diversitySeeds: 3, poseFrames: 3 } },
  },
  axes: { "train.accumulation": [1, 2, 4], seed: [0, 1, 2] },
});
