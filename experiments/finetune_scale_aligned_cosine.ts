/**
 * Does decaying the learning rate (cosine from 5e-4 to 5e-6 over the 4,800
 * steps, instead of constant) bring the aligned-reference part fine-tune
 * without CFG over the "animates" threshold on three seeds?
 *
 * `finetune_scale_aligned_long` with one change: `train.schedule: "cosine"`,
 * `train.minLr: 5e-6`.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "does a cosine learning-rate decay bring the aligned part fine-tune without CFG over the animates threshold at 4,800 steps on three seeds?",
  recipe: "finetune-scale",
  overrides: {
    model: { design: "part-finetune-frame-shift", shiftedRope: false },
    train: { schedule: "cosine", minLr: 5e-6 },
    sample: { guidance: 1 },
  },
  axes: { seed: [0, 1, 2] },
});
