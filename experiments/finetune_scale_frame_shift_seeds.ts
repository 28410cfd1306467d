/**
 * Does part fine-tune with the reference spatially aligned at frame F pass
 * the "animates" threshold whatever the seed, sampled without classifier-free
 * guidance? The `finetune_scale_frame_shift` change (design preset
 * `part-finetune-frame-shift`, 2,400 steps, kept steps 300 / 600 / 1,200)
 * at seeds 1 and 2, with no guidance (`sample.guidance` none) for the
 * evaluation samples. Seed 0 is `finetune_scale_frame_shift`'s
 * run, evaluated at CFG 2 by its own run and at CFG 1 by
 * `tools/probes/rescore_kept_steps.ts` on the same weights.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "does the aligned-reference part fine-tune, sampled without CFG, pass the animates threshold at seeds 1 and 2?",
  recipe: "finetune-scale",
  overrides: {
    model: { design: "part-finetune-frame-shift" },
    train: { steps: 2400 },
    eval: { keptSteps: { steps: [300, 600, 1200] } },
    sample: { guidance: { kind: "none" } },
  },
  axes: { seed: [1, 2] },
});
