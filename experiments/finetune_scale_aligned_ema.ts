/**
 * Does an exponential moving average of the trained weights (decay 0.999, a
 * horizon of about 1,000 of the 4,800 steps) bring the aligned-reference part
 * fine-tune without CFG over the "animates" threshold on three seeds?
 *
 * `finetune_scale_aligned_long` with one change: `train.emaDecay: 0.999`. The
 * training trajectory is the same; the evaluation at the end samples with the
 * averaged weights (the kept steps still score the raw ones).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "does an EMA of the weights (0.999) bring the aligned part fine-tune without CFG over the animates threshold at 4,800 steps on three seeds?",
  recipe: "finetune-scale",
  overrides: {
    model: { design: "part-finetune-frame-shift" },
    train: { emaDecay: 0.999 },
    sample: { guidance: { kind: "none" } },
  },
  axes: { seed: [0, 1, 2] },
});
