/**
 * Stage 2 of a new foundation VAE: `pretrain_vae_image`'s VAE (vae-toy-z16,
 * trained on single frames) continued on 9-frame clips (vae.init), as a
 * VAE-only run (task "vae"), at half `pretrain`'s peak learning rate since
 * it starts trained. Its `vae/` folder is the VAE a foundation DiT loads with
 * vae.checkpoint; it is scored, like `pretrain`'s, on the same 32 held-out
 * 9-frame clips.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "VAE stage 2: pretrain_vae_image's VAE continued on 9-frame clips (4,096), no DiT",
  recipe: "vae-video",
  overrides: {},
  axes: {},
});
