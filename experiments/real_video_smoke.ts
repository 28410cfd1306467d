/**
 * Your own videos through the whole pipeline, at smoke size: the RealisDance
 * design with part fine-tuning, from the committed foundation, fine-tuned on a
 * folder of clips ingested from videos (`data.source` kind "folder"), its
 * held-out evaluation clips sampled at the end of the fine-tuning. Both paper
 * tables on them are `real_video_smoke_benchmark` (a benchmark task, which
 * finds this run through `benchmark.source`). The folder is made by
 *
 *   deno task data:ingest --in <videos> --out datasets/real-video-smoke/clips --frames 5 --size 32
 *   deno task data:eval-set --from datasets/real-video-smoke/clips --clips 2
 *
 * (the test renders its videos with datasets/synthetic/write_clip_videos.ts).
 * To run on your videos, copy this file and real_video_smoke_benchmark.ts,
 * point `data.source.path` at your folder, set `data` to its clip size and clip
 * counts, and the benchmark's `benchmark.source` to the copy's name; the
 * fine-tuning scale of the ablations is the `finetune` recipe's.
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "part fine-tuning from the foundation on an ingested folder of videos, sampled on its held-out clips (smoke size)",
  recipe: "finetune",
  overrides: {
    // 4 training clips, 2 held out by the folder's eval_manifest.json (the validation loss uses the same 2).
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
    train: { steps: 4, microBatch: 2, schedule: { kind: "constant", warmupSteps: 1 }, checkpointEvery: 2, valEvery: 2 },
    sample: { solver: "unipc", steps: 4 },
    // A smoke of ingestion: no scoring against the VAE's reconstructions.
    eval: { keptSteps: null },
  },
  axes: {},
});
