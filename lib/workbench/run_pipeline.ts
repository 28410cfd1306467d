/**
 * One run of the pipeline, resumable at every phase:
 *
 *   clips ─► VAE phase (train or load; latent stats; reconstruction PSNR)
 *         ─► encode clips to normalised latents
 *         ─► DiT phase (text-conditioned flow matching; validation loss at fixed σ)
 *         ─► sample the evaluation clips from noise ─► decode ─► metrics
 *
 * Each training phase checkpoints into `checkpoints/<phase>.safetensors`; a
 * re-run loads the checkpoint and continues (a finished phase does no step).
 * Every random draw comes from a named stream of the run seed.
 *
 * References: the RealisDance-DiT paper's pipeline (VAE latents, Wan DiT,
 * flow matching); nanoGPT's flat training script.
 */
import * as tf from "@tensorflow/tfjs-core";
import { makeClips } from "./_clips.ts";
import { flowMatchingLoss, makeTimestepSampler, sample, shiftSigma } from "../diffusion/mod.ts";
import { psnr, ssim, temporalFlickering } from "../eval/mod.ts";
import {
  countParams,
  encodeText,
  getPreset,
  initTextEncoderParams,
  initWanParams,
  loadWanCheckpoint,
  saveWanCheckpoint,
  TEXT_ENCODER_PRESETS,
  type TextEncoderConfig,
  wanModelFn,
  WordTokenizer,
} from "../model/mod.ts";
import { writeVideoStrip } from "../report/video_strip.ts";
import { trainLoop } from "../train/mod.ts";
import {
  computeLatentStats,
  loadVae,
  normalizeLatents,
  denormalizeLatents,
  reconstructionPsnr,
  saveVae,
  type Vae,
  vaeDecode,
  vaeEncode,
  vaeLoss,
  VAE_PRESETS,
  initVaeParams,
} from "../vae/mod.ts";
import { atomicWrite } from "../io/atomic_write.ts";
import { writeSafetensors } from "../io/safetensors.ts";
import type { ResolvedRun } from "./experiment.ts";
import type { RunConfig } from "./run_config.ts";
import type { RunContext, RunOutcome } from "./run_sweep.ts";
import { ProgressBar } from "./progress_bar.ts";
import { stream, tensorSource, tensorToVideos, videosToTensor } from "./_pipeline_data.ts";
import { loadTextEncoder, saveTextEncoder } from "./_text_encoder_io.ts";

/**
 * @param run the resolved run
 * @param ctx its folder, label and stop flag
 * @returns the final metrics, or `interrupted`
 * @example
 * ```ts ignore
 * await runSweep("smoke", runs, { dir, env, execute: runPipeline });
 * ```
 */
export async function runPipeline(run: ResolvedRun, ctx: RunContext): Promise<RunOutcome> {
  const cfg = run.config;
  const t0 = performance.now();
  const metrics: RunOutcome["metrics"] = {};

  // Data: training, validation and evaluation clips (disjoint sets).
  const size = { frames: cfg.data.frames, height: cfg.data.height, width: cfg.data.width };
  const set = "pretrain" as const;
  const trainClips = makeClips({ set, split: "train", count: cfg.data.trainClips, ...size });
  const valClips = makeClips({ set, split: "val", count: cfg.data.valClips, ...size });
  const evalClips = makeClips({ set, split: "eval", count: cfg.data.evalClips, ...size });
  const trainVideo = videosToTensor(trainClips);
  const valVideo = videosToTensor(valClips);
  const evalVideo = videosToTensor(evalClips);
  try {
    // ── VAE ──────────────────────────────────────────────────────────────
    const vaeOut = await vaePhase(cfg, ctx, trainVideo, valVideo);
    if (!vaeOut) return { interrupted: true, metrics };
    const vae = vaeOut;
    metrics.vae_recon_psnr = chunked(valVideo, 4, (v) => reconstructionPsnr(vae, v)).reduce((a, b) => a + b) /
      Math.ceil(valVideo.shape[0] / 4);

    // ── Latents and text ─────────────────────────────────────────────────
    const encode = (video: tf.Tensor) =>
      tf.concat(chunked(video, 4, (v) => tf.tidy(() => normalizeLatents(vaeEncode(vae, v).mean, vae.stats!))));
    const trainLat = encode(trainVideo), valLat = encode(valVideo);
    const dit = getPreset(cfg.model.preset);
    // A foundation checkpoint brings its tokenizer and text encoder; otherwise both are new.
    const foundationText = cfg.model.checkpoint ? await loadTextEncoder(cfg.model.checkpoint) : null;
    const tokenizer = foundationText?.tokenizer ??
      WordTokenizer.fromCaptions([...trainClips, ...valClips, ...evalClips].map((c) => c.caption));
    const tokens = (clips: typeof trainClips) => {
      const data = new Int32Array(clips.length * dit.text_len);
      clips.forEach((c, i) => data.set(tokenizer.encode(c.caption, { length: dit.text_len }), i * dit.text_len));
      return tf.tensor2d(data, [clips.length, dit.text_len], "int32");
    };
    const trainTok = tokens(trainClips), valTok = tokens(valClips), evalTok = tokens(evalClips);
    const emptyTok = tf.tensor2d(tokenizer.encode("", { length: dit.text_len }), [1, dit.text_len], "int32");

    // ── DiT ──────────────────────────────────────────────────────────────
    const params = cfg.model.checkpoint
      ? await loadDit(cfg.model.checkpoint)
      : { ...initWanParams(dit, { prng: stream(cfg.seed, "dit-init") }) };
    const textCfg: TextEncoderConfig = foundationText?.cfg ?? textEncoderFor(cfg.model.preset);
    const textParams = foundationText?.params ??
      initTextEncoderParams(textCfg, { prng: stream(cfg.seed, "text-init"), vocabSize: tokenizer.vocabSize });
    const all: Record<string, tf.Variable> = { ...params };
    for (const [k, v] of Object.entries(textParams)) all[`text_encoder.${k}`] = v;
    const textOf = (tok: tf.Tensor) => encodeText(textParams, tok, { cfg: textCfg });
    const model = wanModelFn({ cfg: dit, params });
    const sampler = makeTimestepSampler({ ...cfg.diffusion.timesteps, shift: cfg.diffusion.shift });
    const valFn = validation(cfg, valLat, valTok, (x, t, tok) => model(x, t, { context: textOf(tok) }));
    const source = tensorSource({ latents: trainLat, tokens: trainTok }, cfg.seed);
    const bar = new ProgressBar(`${ctx.label} dit`, cfg.train.steps);
    const ditStart = performance.now();
    const res = await trainLoop({
      params: all,
      trainable: Object.keys(all),
      loss: (batch, { prng, step }) => {
        const b = batch.latents.shape[0];
        const s = sampler(b, { prng, iteration: step });
        const noise = tf.tensor(prng.normals(batch.latents.size), batch.latents.shape);
        const { loss, perSample } = flowMatchingLoss(model, batch.latents, {
          sigma: s,
          noise,
          cond: { context: textOf(batch.tokens) },
        });
        noise.dispose();
        return { loss, perSample: { loss: perSample, s: tf.tensor1d(s) } };
      },
      data: source,
      steps: cfg.train.steps,
      microBatch: cfg.train.microBatch,
      accumulation: cfg.train.accumulation,
      lr: cfg.train.lr,
      schedule: cfg.train.schedule === "cosine"
        ? { kind: "cosine", warmupSteps: cfg.train.warmupSteps, minLr: cfg.train.minLr }
        : { kind: "constant", warmupSteps: cfg.train.warmupSteps },
      weightDecay: cfg.train.weightDecay,
      noDecay: (n) => n.endsWith(".bias") || n.includes("norm") || n.includes("modulation"),
      clipNorm: cfg.train.clipNorm,
      emaDecay: cfg.train.emaDecay,
      prng: stream(cfg.seed, "dit-train"),
      dir: ctx.dir,
      name: "dit",
      checkpointEvery: cfg.train.checkpointEvery,
      keepSteps: cfg.train.keepSteps,
      validate: cfg.train.valEvery > 0 ? { every: cfg.train.valEvery, fn: valFn } : undefined,
      buckets: cfg.train.buckets,
      shouldStop: ctx.shouldStop,
      onStep: ({ step, loss, samplesPerSec }) => bar.update(step, { loss, "samples/s": samplesPerSec }),
    });
    bar.done();
    if (res.interrupted) return { interrupted: true, metrics };
    res.ema && tf.dispose(Object.values(res.ema));
    metrics.final_loss = res.lastLoss;
    Object.assign(metrics, prefixed("final_", await valFn(res.step)));
    metrics.dit_train_s = (performance.now() - ditStart) / 1000;
    metrics.dit_params = countParams(dit);
    metrics.text_encoder_params = Object.values(textParams).reduce((a, p) => a + p.size, 0);
    await saveWanCheckpoint(`${ctx.dir}/dit`, { cfg: dit, params });
    await saveTextEncoder(`${ctx.dir}/dit`, { params: textParams, cfg: textCfg, tokenizer });

    // ── Sample the evaluation clips and score them ───────────────────────
    const sampleStart = performance.now();
    const latShape = [evalVideo.shape[0], ...trainLat.shape.slice(1)];
    const noise = tf.tensor(stream(cfg.seed, "sample").normals(latShape.reduce((a, b) => a * b)), latShape);
    const context = textOf(evalTok);
    const empty = tf.tidy(() => tf.tile(textOf(emptyTok), [evalTok.shape[0], 1, 1]));
    const z = tf.tidy(() =>
      sample(model, noise, {
        solver: cfg.sample.solver,
        steps: cfg.sample.steps,
        shift: cfg.diffusion.shift,
        cond: { context },
        guidance: cfg.sample.guidance !== 1
          ? { scale: cfg.sample.guidance, drop: ["context"], nullCond: { context: empty } }
          : undefined,
      })
    );
    const decoded = tf.concat(chunked(z, 4, (zz) => tf.tidy(() => vaeDecode(vae, denormalizeLatents(zz, vae.stats!), { clamp: true }))));
    const pred = await tensorToVideos(decoded);
    const ref = await tensorToVideos(evalVideo);
    tf.dispose([noise, context, empty, z, decoded]);
    const shape: [number, number, number, number, number] = [evalClips.length, cfg.data.frames, cfg.data.height, cfg.data.width, 3];
    const pv = { data: pred, shape }, rv = { data: ref, shape };
    if (cfg.eval.metrics.includes("psnr")) metrics.psnr = psnr(pv, rv);
    if (cfg.eval.metrics.includes("ssim")) metrics.ssim = ssim(pv, rv);
    if (cfg.eval.metrics.includes("flicker")) metrics.flicker = temporalFlickering(pv);
    metrics.sample_s = (performance.now() - sampleStart) / 1000;
    await Deno.mkdir(`${ctx.dir}/samples`, { recursive: true });
    // Saved artifacts: `deno task evaluate` scores these without re-running anything.
    await writeSafetensors(`${ctx.dir}/samples/generated.safetensors`, { video: { shape, data: pred } });
    await writeSafetensors(`${ctx.dir}/samples/reference.safetensors`, { video: { shape, data: ref } });
    const masks = new Float32Array(evalClips.length * sizeOf(shape) / 3);
    evalClips.forEach((c, i) => masks.set(c.mask, i * c.mask.length));
    await writeSafetensors(`${ctx.dir}/samples/masks.safetensors`, { mask: { shape: shape.slice(0, 4), data: masks } });
    await atomicWrite(`${ctx.dir}/samples/eval_ids.json`, JSON.stringify(evalClips.map((c) => c.id)));
    for (let i = 0; i < evalClips.length; i++) {
      await writeVideoStrip(`${ctx.dir}/samples/eval-${String(i).padStart(3, "0")}.png`, [
        ref.subarray(i * sizeOf(shape), (i + 1) * sizeOf(shape)),
        pred.subarray(i * sizeOf(shape), (i + 1) * sizeOf(shape)),
      ], { frames: cfg.data.frames, height: cfg.data.height, width: cfg.data.width });
    }
    metrics.steps = res.step;
    metrics.total_s = (performance.now() - t0) / 1000;
    tf.dispose([trainLat, valLat, trainTok, valTok, evalTok, emptyTok, ...Object.values(all), ...Object.values(vae.params)]);
    return { interrupted: false, metrics };
  } finally {
    tf.dispose([trainVideo, valVideo, evalVideo]);
  }
}

/** Trains (or loads) the VAE and computes its latent statistics; null when interrupted. */
async function vaePhase(cfg: RunConfig, ctx: RunContext, trainVideo: tf.Tensor, valVideo: tf.Tensor): Promise<Vae | null> {
  if (cfg.vae.checkpoint) return await loadVae(cfg.vae.checkpoint);
  if (!(cfg.vae.preset in VAE_PRESETS)) {
    throw new RangeError(`Unknown vae.preset "${cfg.vae.preset}": expected one of ${Object.keys(VAE_PRESETS).join(", ")}`);
  }
  if (cfg.vae.steps < 1) throw new RangeError(`vae.steps must be >= 1 when vae.checkpoint is null: received ${cfg.vae.steps}`);
  const config = VAE_PRESETS[cfg.vae.preset as keyof typeof VAE_PRESETS];
  const vae: Vae = { config, params: initVaeParams(config, { prng: stream(cfg.seed, "vae-init") }) };
  const bar = new ProgressBar(`${ctx.label} vae`, cfg.vae.steps);
  const res = await trainLoop({
    params: vae.params,
    trainable: Object.keys(vae.params),
    loss: (batch, { prng }) => {
      const r = vaeLoss(vae, batch.video, { prng, klWeight: cfg.vae.klWeight });
      tf.dispose([r.recon, r.kl]);
      return { loss: r.loss };
    },
    data: tensorSource({ video: trainVideo }, cfg.seed + 1),
    steps: cfg.vae.steps,
    microBatch: Math.min(cfg.vae.microBatch, trainVideo.shape[0]),
    accumulation: 1,
    lr: cfg.vae.lr,
    schedule: { kind: "constant", warmupSteps: Math.min(5, cfg.vae.steps - 1) },
    weightDecay: 0,
    clipNorm: 1,
    emaDecay: 0,
    prng: stream(cfg.seed, "vae-train"),
    dir: ctx.dir,
    name: "vae",
    checkpointEvery: Math.max(1, Math.min(cfg.train.checkpointEvery, cfg.vae.steps)),
    shouldStop: ctx.shouldStop,
    onStep: ({ step, loss }) => bar.update(step, { loss }),
  });
  bar.done();
  if (res.interrupted) return null;
  vae.stats = computeLatentStats(vae, splitBatch(trainVideo, 4));
  await saveVae(`${ctx.dir}/vae`, vae);
  void valVideo;
  return vae;
}

/** The validation loss at fixed σ with fixed noise: comparable across steps, runs and timestep samplers. */
function validation(
  cfg: RunConfig,
  lat: tf.Tensor,
  tok: tf.Tensor,
  model: (x: tf.Tensor, t: tf.Tensor, tok: tf.Tensor) => tf.Tensor,
): (step: number) => Promise<Record<string, number>> {
  return async () => {
    const out: Record<string, number> = {};
    let sum = 0;
    for (const [i, s0] of cfg.train.valSigmas.entries()) {
      const s = shiftSigma(s0, cfg.diffusion.shift);
      const r = stream(cfg.seed, `val-${i}`);
      const noise = tf.tensor(r.normals(lat.size), lat.shape);
      const loss = tf.tidy(() =>
        flowMatchingLoss((x, t) => model(x, t, tok), lat, { sigma: new Array(lat.shape[0]).fill(s), noise }).loss
      );
      const v = (await loss.data())[0];
      tf.dispose([loss, noise]);
      out[`val_loss_s${s0}`] = v;
      sum += v;
    }
    out.val_loss = sum / cfg.train.valSigmas.length;
    return out;
  };
}

async function loadDit(dir: string): Promise<Record<string, tf.Variable>> {
  const loaded = await loadWanCheckpoint(dir);
  return loaded.params;
}

function textEncoderFor(preset: string): TextEncoderConfig {
  const t = (TEXT_ENCODER_PRESETS as Record<string, TextEncoderConfig>)[preset];
  if (!t) {
    throw new RangeError(
      `No text encoder preset for model preset "${preset}": expected one of ${Object.keys(TEXT_ENCODER_PRESETS).join(", ")}`,
    );
  }
  return t;
}

function prefixed(prefix: string, o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [prefix + k, v]));
}

function sizeOf(shape: readonly number[]): number {
  return shape.slice(1).reduce((a, b) => a * b, 1);
}

/** Slices the batch axis into chunks of at most n (views disposed by the caller's tidy). */
function splitBatch(x: tf.Tensor, n: number): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  for (let i = 0; i < x.shape[0]; i += n) out.push(tf.slice(x, i, Math.min(n, x.shape[0] - i)));
  return out;
}

/** Applies f to batch chunks of at most n, disposing the chunks. */
function chunked<T>(x: tf.Tensor, n: number, f: (chunk: tf.Tensor) => T): T[] {
  return splitBatch(x, n).map((c) => {
    const r = f(c);
    c.dispose();
    return r;
  });
}
