/**
 * `pretrain_dit` with 16× the training clips (16,384 instead of 1,024), and
 * nothing else changed. `pretrain_dit`'s DiT memorised its 1,024 distinct
 * captions: its high-noise loss on the training clips fell far below the
 * held-out clips', and on held-out captions it did better with empty ones.
 * A paired 3000-step probe (1,024 vs 8,192 clips) was level on held-out loss
 * while the 1,024-clip run already fitted its own clips better, so the
 * corpus, not the step count, was the limit. At 13,000 steps of 16 clips
 * this run sees each clip about 13 times (`pretrain_dit`: about 200).
 * Its committed run (results/pretrain_dit_16k/0) has the lowest validation
 * loss of the foundations on `pretrain`'s VAE and uses its captions on
 * held-out clips. It was the adopted foundation until the same recipe on a
 * sharper VAE (`pretrain_dit_vae_video`) replaced it
 * (experiments/_foundation.ts, results/README.md).
 */
import { defineExperiment } from "../lib/workbench/mod.ts";
import pretrainDit from "./pretrain_dit.ts";

export default defineExperiment({
  description:
    "pretrain_dit with 16,384 training clips instead of 1,024 (against caption memorisation)",
  base: {
    ...pretrainDit.base,
    data: { ...pretrainDit.base.data, trainClips: 16384 },
  },
  axes: {},
});
