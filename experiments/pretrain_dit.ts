/**
 * The foundation's DiT trained again on `pretrain`'s VAE (results/pretrain/0/vae),
 * with what the first foundation lacked:
 * - full captions: `wan-toy` reads 128 tokens (the first foundation's DiT was
 *   trained with captions cut to 16 tokens, before their action, scene and lighting);
 * - the character weighted in the loss (train.maskWeight): unweighted, the
 *   flow-matching error is mostly floor and sky, and the samples drew the
 *   scene but no figure;
 * - longer training.
 * The run folder holds both the VAE (copied) and the DiT, so it is a complete
 * foundation. Outcome: results/JOURNAL.md.
 */
import { defineExperiment } from "../lib/workbench/mod.ts";
import pretrain from "./pretrain.ts";

export default defineExperiment({
  description:
    "foundation DiT on pretrain's VAE: 128-token captions, character-weighted loss, 13,000 steps",
  base: {
    ...pretrain.base,
    vae: {
      ...pretrain.base.vae,
      checkpoint: "results/pretrain/0/vae",
      steps: 0,
    },
    train: {
      ...pretrain.base.train,
      steps: 13000,
      maskWeight: 10,
      valEvery: 500,
    },
  },
  axes: {},
});
