/**
 * A VAE-only stage (train.steps 0): the vae-small-z16 VAE (channels 32/64/128,
 * 7.3 M parameters) trained with pretrain's recipe on 4,096 clips.
 *
 * Why: the foundation's vae-toy-z16 reconstructs the character at 15.1 dB
 * (results/pretrain/0): its decoder blurs figures into blobs, and every
 * sample of every foundation DiT trained on it is drawn through that decoder.
 * More DiT steps, other sampling settings and a 5.6× larger DiT did not make
 * the samples recognisable (results/README.md), so the decoder is the bound
 * to raise first. This run's `vae/` folder is the stage a foundation DiT loads
 * with vae.checkpoint; it trains nothing else.
 */
import { defineExperiment } from "../lib/workbench/mod.ts";
import pretrain from "./pretrain.ts";

export default defineExperiment({
  description: "VAE-only stage: vae-small-z16 (7.3 M parameters) with pretrain's VAE recipe, 4,096 clips",
  base: {
    ...pretrain.base,
    data: { ...pretrain.base.data, trainClips: 4096 },
    vae: { ...pretrain.base.vae, preset: "vae-small-z16", steps: 2000 },
    train: { ...pretrain.base.train, steps: 0 },
  },
  axes: {},
});
