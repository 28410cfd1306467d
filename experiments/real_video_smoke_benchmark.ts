/**
 * Both paper tables for `real_video_smoke`'s fine-tuning on its folder's
 * held-out clips: the benchmark task samples them with that run's weights
 * (same design and seed) and the same sampler, then scores the samples.
 * Run it after `deno task ablate real_video_smoke`, with the same --results root.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "both paper tables for real_video_smoke's fine-tuning on its folder's held-out clips (smoke size)",
  recipe: "benchmark",
  overrides: {
    data: {
      frames: 5,
      height: 32,
      width: 32,
      trainClips: 4,
      valClips: 2,
      evalClips: 2,
      source: { kind: "folder", path: "datasets/real-video-smoke/clips" },
    },
    model: { design: "part-finetune" },
    sample: { solver: "unipc", steps: 4 },
    benchmark: { source: "real_video_smoke", clips: 2 },
  },
  axes: {},
});
