/**
 * Does what trains bound the aligned design's background plateau? Full fine-tune (every foundation
 * weight trains: the FFNs, cross-attention, modulation and head as well) against part fine-tune's
 * `finetune_scale_aligned_long/0` at the same recipe, seed and steps.
 *
 * Recipe `finetune-scale` (4,800 steps on 2,048 clips) with the concat design's reference spatially
 * aligned at frame F (as `part-finetune-frame-shift`) and scope `full`; no guidance for the evaluation
 * samples; seeds 0, 1 and 2 (seed 0 first: its evaluation draw is the hardest of the three; issue 28).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "does full fine-tune of the aligned-reference design keep the background better than part fine-tune at 4,800 steps, on three seeds?",
  recipe: "finetune-scale",
  overrides: {
    model: { design: { kind: "concat", shiftedRope: false, frameShift: true, poses: ["skeleton", "hands", "body"], scope: "full" } },
    sample: { guidance: { kind: "none" } },
  },
  axes: { seed: [0, 1, 2] },
});
