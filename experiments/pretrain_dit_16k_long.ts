/**
 * `pretrain_dit_16k`'s DiT and text encoder trained on for 6,000 more steps
 * on the same 16,384 clips (lr 5e-4 cosine to 5e-5; the optimizer state starts
 * afresh). Its validation loss was still falling at 13,000 steps and each
 * longer run so far made the samples follow their captions more; question:
 * does more of the same sharpen the characters? Outcome: results/JOURNAL.md.
 */
import { defineExperiment } from "../lib/workbench/mod.ts";
import pretrainDit16k from "./pretrain_dit_16k.ts";

export default defineExperiment({
  description: "pretrain_dit_16k's DiT trained 6,000 steps more on the same clips (does more training sharpen the characters?)",
  base: {
    ...pretrainDit16k.base,
    model: { ...pretrainDit16k.base.model, checkpoint: "results/pretrain_dit_16k/0/dit" },
    train: { ...pretrainDit16k.base.train, steps: 6000, lr: 5e-4, minLr: 5e-5 },
  },
  axes: {},
});
