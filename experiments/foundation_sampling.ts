/**
 * How the adopted foundation's text-to-video samples depend on how they are
 * drawn, at fixed weights: classifier-free guidance at several scales against
 * autoguidance by weaker versions of itself (Karras et al. 2024) — the
 * foundation's recipe stopped at an eighth (`pretrain_dit_vae_video_guide`),
 * a sixteenth (`_guide_short`) and less (`_guide_shortest`) of its steps —
 * given the clip's caption or the empty one, alone or with the foundation's
 * own classifier-free term added. Every run draws the captions of the same
 * 100 realisdance-val-syn clips from the same noise (seed 0) into its
 * `samples/` folder (sampler.json, latents, videos, 8 strips) and scores them
 * (MoveNet keypoints found, FID-syn, FVD-syn; lib/workbench/_sample_task.ts).
 * Its runs re-make the scores `foundation:score` wrote into
 * results/pretrain_dit_vae_video/0 before sampling was a task (now its
 * samples/foundation_score*\/ folders). The guides' DiT weights other than
 * `_guide_short`'s are not committed: re-train them (`deno task ablate
 * pretrain_dit_vae_video_guide`, `…_guide_shortest`) to run those values.
 */
import { auto, cfg, defineExperiment, GUIDES } from "./_recipes.ts";

export default defineExperiment({
  question: "the adopted foundation's samples by guidance: classifier-free at scales 1–8, autoguidance by three weaker versions of itself",
  recipe: "foundation-sampling",
  overrides: {},
  axes: {
    "sampling.sampler.guidance": [
      { kind: "none" },
      cfg(3),
      cfg(5),
      cfg(8),
      auto(GUIDES.eighth, 2),
      auto(GUIDES.eighth, 3),
      auto(GUIDES.eighth, 4),
      auto(GUIDES.eighth, 2, "empty"),
      auto(GUIDES.eighth, 3, "empty"),
      auto(GUIDES.eighth, 4, "empty"),
      auto(GUIDES.sixteenth, 2),
      auto(GUIDES.sixteenth, 3),
      auto(GUIDES.sixteenth, 3, "same", 3),
      auto(GUIDES.shortest, 3),
    ],
  },
});
