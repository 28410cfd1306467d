/**
 * `pretrain_dit_16k` with the `wan-small` DiT (dim 256, 6 layers, 6.9 M
 * parameters) instead of `wan-toy` (1.2 M), on the same VAE, clips, captions
 * and loss, for 4,000 steps instead of 13,000 (about 1.0 s per step on 2
 * threads against wan-toy's 0.4, so about 70 min: what one session leaves
 * after the rest). More steps of
 * wan-toy did not sharpen its samples (`pretrain_dit_16k_long`: 6,000 more
 * steps, validation 0.310 → 0.295, samples unchanged), so this asks whether
 * capacity does: the adopted foundation draws a recognisable figure in 1 of
 * its 8 evaluation clips and blurred ones or blobs in the rest.
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
