/**
 * VAE stage 3: `pretrain_vae_video`'s VAE trained on for 1,500 more steps of
 * 8 clips (12,000 clip views, against stage 2's 8,000) from 8,192 9-frame
 * clips, the learning rate from 5e-4 cosine to 5e-5. The VAE's
 * reconstructions set the ceiling of any DiT trained on it, and both earlier
 * stages' losses were still falling when they stopped; question: how far does
 * more training raise that ceiling, before a DiT is trained on it? A
 * VAE-only run (`train.steps` 0). Outcome: results/JOURNAL.md.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "VAE stage 3: pretrain_vae_video's VAE trained 1,500 steps of 8 more on 8,192 clips (does the ceiling rise?)",
  recipe: "vae-video",
  overrides: {
    data: { trainClips: 8192 },
    vae: {
      init: "results/pretrain_vae_video/0/vae",
      steps: 1500,
      microBatch: 8,
      lr: 5e-4,
      schedule: { kind: "cosine", warmupSteps: 5, minLr: 5e-5 },
    },
  },
  axes: {},
});
