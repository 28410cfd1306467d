/**
 * What a foundation score holds (`foundation_score.json`, written by
 * `deno task foundation:score` into the folder it scores): a set of
 * text-to-video samples, the foundation VAE's reconstructions of the same
 * clips (the best any DiT on that VAE can draw) and the clips themselves,
 * scored by a person detector trained on real photographs (MoveNet) and
 * against the clips by FID-syn, FVD-syn, PSNR and SSIM. How the samples were
 * drawn is the sample folder's `sampler.json`, not part of the score.
 *
 * References: MoveNet (Google, 2021); Heusel et al. 2017 (FID) and
 * Unterthiner et al. 2018 (FVD) through lib/eval/syn.
 */
import type { KeypointScores } from "./keypoints_found.ts";

/** A set of videos scored against the ground truth. */
export interface VideoScores extends KeypointScores {
  fid_syn: number;
  /** null when the clips' frame count is not one the -syn video network takes ((9 − 1)·k + 1). */
  fvd_syn: number | null;
  psnr: number;
  ssim: number;
}

/** The scores of a sample folder, or of a VAE-only run folder's reconstructions. */
export interface FoundationScore {
  /** The foundation run folder, as given. */
  run: string;
  clips: number;
  /** The frames MoveNet looked at in every clip. */
  pose_frames: number[];
  /** MoveNet score from which a keypoint counts as found. */
  min_score: number;
  /** Seed of the samples' noise; null for a VAE-only run (nothing sampled). */
  seed: number | null;
  /** null for a VAE-only run: nothing sampled. */
  samples: VideoScores | null;
  reconstructions: VideoScores;
  ground_truth: KeypointScores;
  backend: string;
  git_commit: string;
  git_dirty: boolean;
  scored_at: string;
  score_s: number;
}
