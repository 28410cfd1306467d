/**
 * `pretrain_dit_16k` with the `wan-small` DiT (dim 256, 6 layers, 6.9 M
 * parameters) instead of `wan-toy` (1.2 M), on the same VAE, clips, captions
 * and loss, for 4,000 steps instead of 13,000: about the same training time.
 * More steps of wan-toy did not sharpen its samples (`pretrain_dit_16k_long`),
 * so this asks whether capacity does. Outcome: results/JOURNAL.md.
 */
import { defineExperiment } from "../lib/workbench/mod.ts";
import pretrainDit16k from "./pretrain_dit_16k.ts";

export default defineExperiment({
  description: "pretrain_dit_16k with the wan-small DiT (5.6x the parameters) for 4,000 steps (does capacity sharpen the characters?)",
  base: {
    ...pretrainDit16k.base,
    model: { ...pretrainDit16k.base.model, preset: "wan-small" },
    train: { ...pretrainDit16k.base.train, steps: 4000 },
  },
  axes: {},
});
