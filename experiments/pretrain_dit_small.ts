/**
 * `pretrain_dit_16k` with the `wan-small` DiT (dim 256, 6 layers, 6.9 M
 * parameters) instead of `wan-toy` (1.2 M), on the same VAE, clips, captions
 * and loss, for 4,000 steps instead of 13,000: about the same training time.
 * More steps of wan-toy did not sharpen its samples (`pretrain_dit_16k_long`),
 * so this asks whether capacity does. Outcome: results/JOURNAL.md.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "pretrain_dit_16k with the wan-small DiT (5.6x the parameters) for 4,000 steps (does capacity sharpen the characters?)",
  recipe: "foundation-dit",
  overrides: {
    vae: { checkpoint: "results/pretrain/0/vae" },
    model: { preset: "wan-small" },
    train: { steps: 4000 },
  },
  axes: {},
});
