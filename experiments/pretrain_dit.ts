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
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question:
    "foundation DiT on pretrain's VAE: 128-token captions, character-weighted loss, 13,000 steps",
  recipe: "foundation-dit",
  overrides: {
    // the first foundation's VAE and 1,024 of the clips
    data: { trainClips: 1024 },
    vae: { checkpoint: "results/pretrain/0/vae" },
  },
  axes: {},
});
