/**
 * Stage 1 of a new foundation VAE: `pretrain`'s vae-toy-z16 trained on single
 * frames (data.frames 1) only, as a VAE-only run (task "vae"); stage 2,
 * `pretrain_vae_video`, continues it on 9-frame clips.
 *
 * Why: `pretrain`'s VAE blurs the character, even on a clip's first frame,
 * which it encodes alone, and its decoder bounds every foundation sample
 * (results/JOURNAL.md). Its loss was still falling. The VAE's training is
 * compute-bound here, and a single frame costs a ninth of a 9-frame clip, so
 * the spatial part is learned on frames first, as Wan's VAE was (a 2D image
 * VAE first, then inflated to the causal 3D one; the causal convolutions see
 * a lone frame through their last temporal tap, so the same weights go on to
 * the video stage).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "VAE stage 1: pretrain's vae-toy-z16 on 56,000 single frames (16,384 distinct), no DiT",
  recipe: "vae-image",
  overrides: {},
  axes: {},
});
