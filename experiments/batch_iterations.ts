/**
 * The paper's batch-size × iterations ablation: effective batch sizes by
 * accumulation at the same learning rate, with checkpoints kept at increasing
 * iterations. The paper: larger batches converge faster; long training
 * improves pose control slightly but loses diversity and background
 * preservation.
 */
import { defineExperiment } from "../lib/workbench/mod.ts";
import { FINETUNE_BASE } from "./_foundation.ts";

export default defineExperiment({
  description: "effective batch 8 / 16 / 32 (accumulation 1 / 2 / 4) with checkpoints at 100, 200, 300 steps",
  base: { ...FINETUNE_BASE, train: { ...FINETUNE_BASE.train, keepSteps: [100, 200, 300] } },
  axes: { "train.accumulation": [1, 2, 4], seed: [0, 1] },
});
