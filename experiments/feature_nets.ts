/**
 * The offline `-syn` evaluation networks: the `image-syn` and `video-syn`
 * encoders trained on the synthetic pretraining and fine-tuning sets (never
 * on realisdance-val-syn), their sanity figures on held-out clips, and the
 * classical VBench calibration at the evaluation sizes. `deno task evaluate`
 * loads them from results/feature_nets/0/ (lib/eval/syn
 * DEFAULT_FEATURE_NETS_DIR). About 10 minutes on one thread.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "the -syn image and video feature networks and the classical calibration used by `deno task evaluate`",
  // The settings that made the committed networks are the run config's `featureNets` defaults
  // (lib/workbench/run_config.ts): seed 0, 1 thread, a bank of 1536 clips, image 600 × 32, video 500 × 16.
  recipe: "feature-nets",
  overrides: {},
  axes: {},
});
