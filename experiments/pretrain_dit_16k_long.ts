/**
 * `pretrain_dit_16k`'s DiT and text encoder trained on for 6,000 more steps
 * on the same 16,384 clips (lr 5e-4 cosine to 5e-5; the optimizer state starts
 * afresh). Its validation loss was still falling at 13,000 steps and each
 * longer run so far made the samples follow their captions more; question:
 * does more of the same sharpen the characters? Outcome: results/JOURNAL.md.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "pretrain_dit_16k's DiT trained 6,000 steps more on the same clips (does more training sharpen the characters?)",
  recipe: "foundation-dit",
  overrides: {
    vae: { checkpoint: "results/pretrain/0/vae" },
    model: { checkpoint: "results/pretrain_dit_16k/0/dit" },
    train: { steps: 6000, lr: 5e-4, schedule: { kind: "cosine", warmupSteps: 50, minLr: 5e-5 } },
  },
  axes: {},
});
