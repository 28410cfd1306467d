/**
 * The paper's RoPE placement for the concat design against the two
 * alternatives (issue 31, claim (h)): the reference tokens shifted spatially
 * past the video grid (h ∈ [H, 2H), w ∈ [W, 2W); the paper's, and
 * `part-finetune` as it stands), left unshifted on the video's first
 * positions (`shiftedRope: false`; its runs are named `concat-unshifted-part`),
 * or spatially aligned and one frame past the last (`part-finetune-frame-shift`,
 * issue 28's alternative). Both options are crossed, so the fourth design
 * (`concat-frame-shift-part`) shifts the reference spatially and by a frame.
 * The claims table (`deno task claims`) compares shifted with unshifted and
 * with the frame shift, paired by seed.
 *
 * Recipe `finetune` (the ablations' scale, at which the designs animate: issue 28), five seeds (issue 31).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "concat + part fine-tune with the reference's RoPE shifted spatially (the paper), unshifted, or aligned one frame past the last: which trains best?",
  recipe: "finetune",
  overrides: {},
  axes: {
    "model.design": [
      "part-finetune",
      { kind: "concat", shiftedRope: false, frameShift: false, poses: ["skeleton", "hands", "body"], scope: "part" },
      { kind: "concat", shiftedRope: true, frameShift: true, poses: ["skeleton", "hands", "body"], scope: "part" },
      "part-finetune-frame-shift",
    ],
    seed: [0, 1, 2, 3, 4],
  },
});
