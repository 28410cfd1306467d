/**
 * `pretrain_dit_16k`'s recipe (128-token captions, character-weighted loss,
 * 16,384 clips, 13,000 steps of 16) on the two-stage VAE of
 * `pretrain_vae_video` (results/pretrain_vae_video/0/vae) instead of
 * `pretrain`'s, whose reconstructions blur the character into blobs while the
 * two-stage VAE's show heads and limbs. Question: does a DiT on the sharper
 * latents draw recognisable characters? Outcome: results/JOURNAL.md.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question:
    "pretrain_dit_16k's recipe on the two-stage VAE (pretrain_vae_video) instead of pretrain's",
  recipe: "foundation-dit",
  overrides: {},
  axes: {},
});
