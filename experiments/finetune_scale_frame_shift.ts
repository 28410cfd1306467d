/**
 * Does the reference's place in RoPE space decide whether part fine-tune
 * keeps the reference's background? The paper shifts the reference tokens
 * spatially past the video grid (h ∈ [H, 2H), w ∈ [W, 2W)); here they stay
 * spatially aligned with the video tokens and sit one frame past the last
 * (the `frameShift` option), so each video token's own spot in the
 * reference is at spatial offset 0.
 *
 * Recipe `finetune-scale` with the design preset `part-finetune-frame-shift`
 * (`shiftedRope: false, frameShift: true`), trained 2,400 steps instead of 4,800
 * (the schedule is constant after warmup, so its kept steps compare with
 * `finetune_scale`'s at 300, 600, 1,200 and 2,400), seed 0.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "does placing the reference spatially aligned at frame F, instead of spatially shifted, let part fine-tune keep the background?",
  recipe: "finetune-scale",
  overrides: {
    model: { design: "part-finetune-frame-shift" },
    train: { steps: 2400 },
    eval: { keptSteps: { steps: [300, 600, 1200] } },
  },
  axes: { seed: [0] },
});
