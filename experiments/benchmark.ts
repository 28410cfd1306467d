/**
 * The paper's comparison tables on realisdance-val-syn: for every design and
 * seed of `model_design`, its finished fine-tuning (no retraining) samples the
 * evaluation clips and gets both tables' columns: the VBench-I2V table
 * (I2V Subject-syn, I2V Background-syn, Subject Consistency-syn, Background
 * Consistency-syn, Temporal Flickering, Motion Smoothness-classical, Dynamic
 * Degree-classical, Aesthetic Quality = n/a, FVD-syn, FID-syn) and the
 * TikTok-style table (SSIM, PSNR, LPIPS-syn, FVD-syn, FID-syn). A design that
 * ran out of the memory budget in `model_design` is the paper's OOM row here.
 * Run it after `deno task ablate model_design`, with the same --results root.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "both paper tables for each model_design fine-tuning on realisdance-val-syn, same designs and seeds",
  // All of realisdance-val-syn at 9×32×32, with model_design's sampler (UniPC 20 steps, CFG 2) and seeds.
  recipe: "benchmark",
  overrides: { benchmark: { source: "model_design", clips: 100 } },
  // model_design's designs and seeds (a test checks they stay the same).
  axes: {
    "model.design": ["reference-net", "light-reference-net", "full-finetune", "part-finetune", "lora"],
    seed: [0, 1, 2],
  },
});
