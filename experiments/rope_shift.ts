/**
 * The paper's RoPE placement for the concat design against the two
 * alternatives (issue 31, claim (h)): the reference tokens shifted spatially
 * past the video grid (h ∈ [H, 2H), w ∈ [W, 2W); the paper's, and
 * `part-finetune` as it stands), left unshifted on the video's first
 * positions (`model.shiftedRope: false`), or spatially aligned and one frame
 * past the last (`part-finetune-frame-shift` with `model.shiftedRope: false`,
 * issue 28's alternative). Both options are crossed, so the fourth run kind
 * is the reference shifted spatially and by a frame. The claims table
 * (`deno task claims`) compares shifted with unshifted and with the frame
 * shift, paired by seed.
 *
 * Recipe `finetune` (the ablations' scale); the sweeps are to be re-run at
 * the fine-tuning scale where the designs animate (issue 28), with at least
 * five seeds (issue 31).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "concat + part fine-tune with the reference's RoPE shifted spatially (the paper), unshifted, or aligned one frame past the last: which trains best?",
  recipe: "finetune",
  overrides: {},
  axes: {
    "model.design": ["part-finetune", "part-finetune-frame-shift"],
    "model.shiftedRope": [true, false],
    seed: [0, 1, 2, 3, 4],
  },
});
