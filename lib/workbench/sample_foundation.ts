/**
 * Draws a finished foundation's text-to-video samples with one sampler and
 * saves them as a sample folder, which `scoreFoundation` (the evaluator)
 * scores afterwards and notebooks read:
 *
 *   sampler.json          the SamplerConfig, verbatim (written last: a folder with it is complete)
 *   sample_set.json       what was sampled: the foundation, clips, seed, strips, commit, timing
 *   latents.safetensors   the samples' latents `latents` [N, C, F', H', W']
 *   videos.safetensors    the decoded samples `samples` [N, F, H, W, 3] in [0, 1]
 *   eval-NNN.png          the first K clips: ground truth, VAE reconstruction, sample (one row each)
 *
 * The captions of the first N evaluation clips of the data source
 * (realisdance-val-syn, or a folder's held-out split; `source`) are sampled from
 * seeded noise (stream "foundation-score", drawn for all clips first, so the
 * first clips get the same noise whatever N), in chunks of 25. Classifier-free
 * guidance drops the caption (the empty prompt's context); autoguidance's
 * guide is a finished DiT on the same VAE with its own text encoder, given the
 * clip's caption or the empty one; `init` starts each sample from its clip's
 * own latents noised (SDEdit).
 *
 * References: Wan2.1 `wan/text2video.py` (text-to-video sampling, the empty
 * negative prompt); Karras et al. 2024, "Guiding a Diffusion Model with a Bad
 * Version of Itself" (autoguidance); facebookresearch/DiT `sample_ddp.py`
 * (samples saved first, scored by a separate evaluator).
 */
import * as tf from "@tensorflow/tfjs-core";
import { checkSamplerConfig, type GuidanceInputs, type ModelFn, sample, type SamplerConfig } from "../diffusion/mod.ts";
import { writeSafetensors } from "../io/safetensors.ts";
import { loadWanCheckpoint, wanModelFn } from "../model/mod.ts";
import { writeVideoStrip } from "../report/video_strip.ts";
import { loadVae } from "../vae/mod.ts";
import { EVAL_SET_SIZE } from "../../datasets/synthetic/synthetic_sets.ts";
import { ProgressBar } from "../io/progress_bar.ts";
import type { PretrainRunConfig, VaeRunConfig } from "./run_config.ts";
import { migrateRunConfig } from "./migrate_run_config.ts";
import { gitInfo, readJson, writeJson } from "./run_folder.ts";
import type { DataSource } from "./data_source.ts";
import { openRunData } from "./_run_data.ts";
import { stream, videosToTensor } from "./_pipeline_data.ts";
import { type TextSide, textSide } from "./_text_side.ts";
import { decodeLatentVideos, encodeLatents } from "./_vae_phase.ts";

/** The sampler config of a sample folder, verbatim. */
export const SAMPLER_FILE = "sampler.json";
/** What a sample folder holds samples of ({@link SampleSet}). */
export const SAMPLE_SET_FILE = "sample_set.json";
/** The decoded samples of a sample folder. */
export const VIDEOS_FILE = "videos.safetensors";
/** Clips sampled per call of the solver. */
const SAMPLE_CHUNK = 25;

/** What a sample folder holds samples of (`sample_set.json`). */
export interface SampleSet {
  /** The foundation run folder whose VAE and DiT drew them, as given. */
  foundation: string;
  /** Evaluation clips sampled, the first N of `source`. */
  clips: number;
  /** Where the clips come from (absent: the synthetic generator, realisdance-val-syn). */
  source?: DataSource;
  /** Seed of the noise (stream "foundation-score"). */
  seed: number;
  /** The first clips written as strips eval-NNN.png. */
  strips: number;
  backend?: string;
  git_commit?: string;
  git_dirty?: boolean;
  sampled_at?: string;
  sample_s?: number;
  /** A folder made from a score file written before sampling was a task (no latents or videos). */
  migrated_from?: string;
}

/** Options of {@link sampleFoundation}. */
export interface SampleFoundationOptions {
  sampler: SamplerConfig;
  /** Seed of the noise. */
  seed: number;
  /** Evaluation clips, from the first (2..100 of realisdance-val-syn, or as many as a folder's split holds). */
  clips: number;
  /** Where the clips come from (default the synthetic generator: realisdance-val-syn). */
  source?: DataSource;
  /** Strips written for the first K clips (0..clips). */
  strips: number;
  /** The sample folder to write (created). */
  out: string;
  /** Show a progress bar under this label (default: none). */
  label?: string;
  /** The commit to record (default: read when the call starts). */
  git?: { commit: string; dirty: boolean };
}

/**
 * @param foundation a finished `pretrain` run folder with a DiT (config.json, vae/, dit/)
 * @param options the sampler, seed, clip and strip counts, the folder to write
 * @returns what the folder's sample_set.json records
 * @throws {RangeError} when the foundation or the guide is not a finished pretraining run with a DiT, the guide's
 *   VAE differs from the foundation's, classifier-free guidance drops anything but the caption, or a count is out
 *   of range (and as checkSamplerConfig does)
 * @example
 * ```ts ignore
 * await sampleFoundation("results/pretrain_dit_vae_video/0", { out: "/tmp/s", seed: 0, clips: 4, strips: 2,
 *   sampler: { solver: "unipc", steps: 20, shift: 1, guidance: { kind: "cfg", scale: 3, drop: ["context"] } } });
 * ```
 */
export async function sampleFoundation(foundation: string, options: SampleFoundationOptions): Promise<SampleSet> {
  const t0 = performance.now();
  const { sampler, seed, clips: count, strips, out } = options;
  checkSamplerConfig(sampler);
  if (sampler.guidance.kind === "cfg" && sampler.guidance.drop.join() !== "context") {
    throw new RangeError(`Cannot sample a text-to-video foundation dropping ${JSON.stringify(sampler.guidance.drop)}: its only condition is ["context"]`);
  }
  const source: DataSource = options.source ?? { kind: "synthetic" };
  // A folder's split size is checked when it is opened.
  const most = source.kind === "synthetic" ? EVAL_SET_SIZE : Infinity;
  if (!Number.isInteger(count) || count < 2 || count > most) {
    throw new RangeError(`Cannot sample ${count} clips: expected an integer in 2..${most} (FID-syn and FVD-syn need two)`);
  }
  if (!Number.isInteger(strips) || strips < 0 || strips > count) {
    throw new RangeError(`Cannot write ${strips} strips of ${count} clips: expected an integer in 0..${count}`);
  }
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`Cannot sample with seed ${seed}: expected an integer >= 0`);
  const git = options.git ?? await gitInfo();
  const cfg = await foundationConfig(foundation, "sample");
  const guideDir = sampler.guidance.kind === "autoguidance" ? sampler.guidance.guide.replace(/\/+$/, "") : null;
  if (guideDir !== null) await checkGuide(foundation, guideDir);
  const data = await openFoundationData(foundation, cfg, { source, count });

  const vae = await loadVae(`${foundation}/vae`);
  const dit = await loadWanCheckpoint(`${foundation}/dit`);
  const text = await textSide({ dit: dit.cfg, preset: cfg.model.preset, checkpoint: `${foundation}/dit`, captions: [], seed });
  const guideDit = guideDir !== null ? await loadWanCheckpoint(`${guideDir}/dit`) : null;
  const guideText = guideDit
    ? await textSide({ dit: guideDit.cfg, preset: cfg.model.preset, checkpoint: `${guideDir}/dit`, captions: [], seed })
    : null;
  // Intermediate tensors, freed at the end whether sampling finishes or throws (disposing one twice is a no-op).
  const held: tf.Tensor[] = [];
  try {
    const { frames, height, width } = cfg.data;
    const clips = await data.clips("eval", count);
    const video = videosToTensor(clips); // (N, 3, F, H, W)
    held.push(video);
    const z0 = encodeLatents(vae, video); // (N, C, F', H', W')
    held.push(z0);
    const z = sampleCaptions({
      model: wanModelFn({ cfg: dit.cfg, params: dit.params }),
      text,
      guide: guideDit && guideText ? { model: wanModelFn({ cfg: guideDit.cfg, params: guideDit.params }), text: guideText } : null,
      z0,
      captions: clips.map((c) => c.caption),
      seed,
      sampler,
      label: options.label,
    }, held);
    const samples = await decodeLatentVideos(vae, z); // (N, F, H, W, 3)
    await Deno.mkdir(out, { recursive: true });
    await writeSafetensors(`${out}/latents.safetensors`, { latents: { shape: z.shape, data: await z.data() as Float32Array } });
    await writeSafetensors(`${out}/${VIDEOS_FILE}`, { samples: { shape: [count, frames, height, width, 3], data: samples } });
    if (strips > 0) {
      const recon = await decodeLatentVideos(vae, z0); // (N, F, H, W, 3)
      const clipSize = frames * height * width * 3;
      for (let i = 0; i < strips; i++) {
        const rows = [clips[i].video, recon.subarray(i * clipSize, (i + 1) * clipSize), samples.subarray(i * clipSize, (i + 1) * clipSize)];
        await writeVideoStrip(`${out}/eval-${String(i).padStart(3, "0")}.png`, rows, { frames, height, width });
      }
    }
    const set: SampleSet = {
      foundation,
      clips: count,
      ...(source.kind === "synthetic" ? {} : { source }),
      seed,
      strips,
      backend: tf.getBackend(),
      git_commit: git.commit,
      git_dirty: git.dirty,
      sampled_at: new Date().toISOString(),
      sample_s: (performance.now() - t0) / 1000,
    };
    await writeJson(`${out}/${SAMPLE_SET_FILE}`, set);
    await writeJson(`${out}/${SAMPLER_FILE}`, sampler);
    return set;
  } finally {
    tf.dispose(held);
    tf.dispose([...Object.values(dit.params), ...Object.values(text.params), ...Object.values(vae.params)]);
    tf.dispose([...Object.values(guideDit?.params ?? {}), ...Object.values(guideText?.params ?? {})]);
  }
}

/**
 * Opens the clips a foundation is sampled or scored on, checked before any work: a folder must hold clips of the
 * foundation's size, which its VAE and DiT take, and at least `count` evaluation clips.
 * @param foundation the foundation run folder (its vae/ and dit/ give the model's grid)
 * @param cfg its config (clip size, presets)
 * @param options the data source and the clips needed
 * @returns the reader
 */
export function openFoundationData(
  foundation: string,
  cfg: PretrainRunConfig | VaeRunConfig,
  options: { source: DataSource; count: number },
): ReturnType<typeof openRunData> {
  const { frames, height, width } = cfg.data;
  return openRunData(options.source, {
    set: "pretrain",
    size: { frames, height, width },
    counts: { eval: options.count },
    sizeOf: `the foundation ${foundation}'s clip size`,
    model: {
      vae: { checkpoint: `${foundation}/vae`, preset: cfg.vae.preset },
      ...(cfg.task === "pretrain" ? { model: { checkpoint: `${foundation}/dit`, preset: cfg.model.preset } } : {}),
    },
  });
}

/**
 * The config of a finished pretraining run (or, to score it, a VAE-only run), refused when it is not one.
 * @param dir the run folder
 * @param use "sample" (it must have a DiT) or "score" (a VAE-only run will do)
 * @returns its config, migrated to today's shape
 */
export async function foundationConfig(dir: string, use: "sample"): Promise<PretrainRunConfig>;
export async function foundationConfig(dir: string, use: "score"): Promise<PretrainRunConfig | VaeRunConfig>;
export async function foundationConfig(dir: string, use: "sample" | "score"): Promise<PretrainRunConfig | VaeRunConfig> {
  const record = await readJson<{ config: unknown }>(`${dir}/config.json`);
  if (!record) throw new RangeError(`Cannot ${use} ${dir}: it has no config.json (expected a run folder)`);
  const cfg = migrateRunConfig(record.config);
  if (cfg.task !== "pretrain" && cfg.task !== "vae") {
    throw new RangeError(`Cannot ${use} ${dir} as a foundation: its task is "${cfg.task}", expected "pretrain" (or "vae" to score)`);
  }
  if (use === "sample" && cfg.task === "vae") {
    throw new RangeError(`Cannot sample ${dir}: it is a VAE-only run (task "vae"), with no DiT to sample`);
  }
  for (const part of cfg.task === "vae" ? ["vae"] : ["dit", "vae"]) {
    if (!(await readJson(`${dir}/${part}/config.json`))) {
      throw new RangeError(`Cannot ${use} ${dir}: it has no ${part}/config.json (the run has not finished)`);
    }
  }
  return cfg;
}

/**
 * Refuses a guide that is not a finished pretraining run with a DiT, or whose VAE differs from the foundation's
 * (its velocities would be of other latents).
 */
async function checkGuide(dir: string, guideDir: string): Promise<void> {
  await foundationConfig(guideDir, "sample").catch((e) => {
    throw e instanceof RangeError ? new RangeError(`Cannot guide with ${guideDir}: ${e.message}`) : e;
  });
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
 * The DiT's samples of the captions, in chunks of {@link SAMPLE_CHUNK}, with the guidance's inputs per chunk: the
 * empty prompt's context (classifier-free guidance, and autoguidance's cfg term), the guide and its encoding of the
 * caption or of the empty one (autoguidance). Every intermediate goes into `held`, so the caller frees it if this throws.
 */
function sampleCaptions(
  o: {
    model: ModelFn;
    text: TextSide;
    guide: { model: ModelFn; text: TextSide } | null;
    z0: tf.Tensor;
    captions: string[];
    seed: number;
    sampler: SamplerConfig;
    label?: string;
  },
  held: tf.Tensor[],
): tf.Tensor {
  const { text, guide, z0, captions, sampler } = o;
  const count = captions.length;
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
      const uncond = { context: tf.tile(empty, [n, 1, 1]) }; // (n, L, D)
      const g = sampler.guidance;
      let inputs: GuidanceInputs | undefined;
      if (g.kind === "cfg") inputs = { nullCond: uncond };
      else if (g.kind === "autoguidance" && guide) {
        const guideCaptions = g.caption === "empty" ? new Array<string>(n).fill("") : captions.slice(s, s + n);
        inputs = { model: guide.model, cond: { context: guide.text.encode(guide.text.tokens(guideCaptions)) }, uncond };
      }
      const x0 = sampler.init ? tf.slice(z0, s, n) : undefined; // (n, C, F', H', W')
      return sample(o.model, x, { sampler, cond: { context }, guide: inputs, x0 });
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
