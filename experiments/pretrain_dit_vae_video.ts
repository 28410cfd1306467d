/**
 * `pretrain_dit_16k`'s recipe (128-token captions, character-weighted loss,
 * 16,384 clips, 13,000 steps of 16) on the two-stage VAE of
 * `pretrain_vae_video` (results/pretrain_vae_video/0/vae) instead of
 * `pretrain`'s. The adopted foundation's samples are bounded by its VAE,
 * whose reconstructions of the character are blobs (15.1 dB); the two-stage
 * VAE draws heads and limbs (16.0 dB). This run measures whether a DiT on
 * the sharper latents draws recognisable characters. It does better: MoveNet
 * finds 0.171 of the keypoints in its samples (0.087 before), and it is the
 * adopted foundation (experiments/_foundation.ts).
 */
import { defineExperiment } from "../lib/workbench/mod.ts";
import pretrainDit16k from "./pretrain_dit_16k.ts";

export default defineExperiment({
  description:
    "pretrain_dit_16k's recipe on the two-stage VAE (pretrain_vae_video) instead of pretrain's",
  base: {
    ...pretrainDit16k.base,
    vae: { ...pretrainDit16k.base.vae, checkpoint: "results/pretrain_vae_video/0/vae" },
  },
  axes: {},
});
