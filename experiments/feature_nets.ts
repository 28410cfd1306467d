/**
 * The offline `-syn` evaluation networks: the `image-syn` and `video-syn`
 * encoders trained on the synthetic pretraining and fine-tuning sets (never
 * on realisdance-val-syn), their sanity figures on held-out clips, and the
 * classical VBench calibration at the evaluation sizes. `deno task evaluate`
 * loads them from results/feature_nets/0/ (lib/eval/syn
 * DEFAULT_FEATURE_NETS_DIR). About 10 minutes on one thread.
 */
import { defineExperiment } from "../lib/workbench/mod.ts";

export default defineExperiment({
  description: "the -syn image and video feature networks and the classical calibration used by `deno task evaluate`",
  base: {
    task: "feature-nets",
    seed: 0,
    engine: { backend: "auto", threads: 1 },
    featureNets: {
      pool: 1536,
      image: { steps: 600, clips: 32, lr: 2e-3, weightDecay: 0.05, temperature: 0.1, headWeight: 0.5 },
      video: { steps: 500, clips: 16, lr: 2e-3, weightDecay: 0.05, temperature: 0.1, headWeight: 0.5 },
      checkpointEvery: 100,
      sanityClips: 200,
      calibrationSizes: [{ frames: 5, height: 32, width: 32 }, { frames: 9, height: 32, width: 32 }, { frames: 17, height: 64, width: 64 }],
    },
  },
  axes: {},
});
