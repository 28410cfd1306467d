/**
 * Stage 1 of a new foundation VAE: `pretrain`'s vae-toy-z16 trained on single
 * frames (data.frames 1) only, as a VAE-only run (train.steps 0); stage 2,
 * `pretrain_vae_video`, continues it on 9-frame clips.
 *
 * Why: `pretrain`'s VAE reconstructs the character at 15.1 dB, and at 14.9 dB
 * even on a clip's first frame, which it encodes alone at 3× compression: its
 * decoder blurs figures into the blobs every foundation sample shows. It saw
 * 8,000 clips in all; its loss was still falling. The VAE's training is
 * compute-bound here (about 35 frames/s), and a single frame costs a ninth of
 * a 9-frame clip, so the spatial part is learned on frames first, as Wan's VAE
 * was (a 2D image VAE first, then inflated to the causal 3D one; the causal
 * convolutions see a lone frame through their last temporal tap, so the same
 * weights go on to the video stage). Probe (not committed): 1,000 steps of 16
 * frames reached 16.2 dB on the character with the loss still falling.
 */
import { defineExperiment } from "../lib/workbench/mod.ts";
import pretrain from "./pretrain.ts";

export default defineExperiment({
  description: "VAE stage 1: pretrain's vae-toy-z16 on 56,000 single frames (16,384 distinct), no DiT",
  base: {
    ...pretrain.base,
    data: { ...pretrain.base.data, frames: 1, trainClips: 16384 },
    vae: { ...pretrain.base.vae, steps: 3500, microBatch: 16 },
    train: { ...pretrain.base.train, steps: 0 },
  },
  axes: {},
});
