/**
 * The first foundation: the causal VAE, then the `wan-toy` DiT as a
 * text-to-video model on the synthetic pretraining corpus (captions describe
 * character, style, scene, lighting and action). Which foundation the
 * fine-tuning experiments use is experiments/_foundation.ts's choice.
 */
import { defineExperiment } from "../lib/workbench/mod.ts";

export default defineExperiment({
  description: "foundation: VAE then wan-toy text-to-video DiT on the synthetic pretraining corpus",
  base: {
    seed: 0,
    engine: { backend: "auto", threads: 2 },
    data: { frames: 9, height: 32, width: 32, trainClips: 1024, valClips: 32, evalClips: 8 },
    // The character weighs 1 + 10 in the VAE's reconstruction term: unweighted, the code goes to floor texture.
    vae: { preset: "vae-toy-z16", steps: 2000, lr: 2e-3, microBatch: 4, klWeight: 1e-6, schedule: "cosine", minLr: 1e-4, maskWeight: 10 },
    model: { preset: "wan-toy" },
    diffusion: { timesteps: { kind: "logit-normal", mean: 0, std: 1 }, shift: 1 },
    train: {
      steps: 4000,
      microBatch: 16,
      accumulation: 1,
      lr: 1e-3,
      warmupSteps: 50,
      schedule: "cosine",
      minLr: 1e-4,
      checkpointEvery: 250,
      valEvery: 250,
      emaDecay: 0,
    },
    // Caption dropout teaches the unconditional branch classifier-free guidance needs.
    conditioning: { dropText: 0.1 },
    sample: { solver: "unipc", steps: 20, guidance: 3 },
  },
  axes: {},
});
