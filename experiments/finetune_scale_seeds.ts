/**
 * Does part fine-tune pass the "animates" threshold at the scale of
 * `finetune_scale` whatever the seed? The same recipe (`FINETUNE_SCALE`,
 * part fine-tune) at seeds 1 and 2; seed 0 is `finetune_scale`'s first run.
 * The threshold (lib/report/animation_verdict.ts) is judged at every kept
 * step, so the smallest passing scale can be read off all three seeds.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "part fine-tune at the finetune_scale recipe, seeds 1 and 2 (seed 0: finetune_scale)",
  recipe: "finetune-scale",
  overrides: {},
  axes: { seed: [1, 2] },
});
