/**
 * Does part fine-tune with the reference spatially aligned at frame F,
 * sampled without classifier-free guidance, pass the "animates" threshold at
 * twice the steps of `finetune_scale_frame_shift_seeds`, on three seeds?
 *
 * Recipe `finetune-scale` (4,800 steps on 2,048 clips, kept steps 300, 600,
 * 1,200, 2,400) with the design preset `part-finetune-frame-shift`
 * (the reference unshifted spatially, at frame F) and no guidance for the
 * evaluation samples; seeds 0, 1 and 2.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "does the aligned-reference part fine-tune without CFG pass the animates threshold at 4,800 steps on three seeds?",
  recipe: "finetune-scale",
  overrides: {
    model: { design: "part-finetune-frame-shift" },
    sample: { guidance: { kind: "none" } },
  },
  axes: { seed: [0, 1, 2] },
});
