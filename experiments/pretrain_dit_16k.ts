/**
 * `pretrain_dit` with 16× the training clips (16,384 instead of 1,024), and
 * nothing else changed. Question: does a larger corpus stop the caption
 * memorisation `pretrain_dit` showed (results/JOURNAL.md), so that the DiT
 * uses its captions on held-out clips? At 13,000 steps of 16 clips this run
 * sees each clip about 13 times (`pretrain_dit`: about 200). Outcome:
 * results/JOURNAL.md.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question:
    "pretrain_dit with 16,384 training clips instead of 1,024 (against caption memorisation)",
  recipe: "foundation-dit",
  overrides: { vae: { checkpoint: "results/pretrain/0/vae" } },
  axes: {},
});
