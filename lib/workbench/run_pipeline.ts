/**
 * One run of the pipeline, resumable at every phase:
 *
 *   clips ─► VAE (train or load) ─► latents
 *     pretrain: text-conditioned flow matching of the Wan DiT (text encoder trains with it)
 *     animate:  a design of the ablation built on the foundation DiT, fine-tuned with
 *               reference + pose conditions, per-sample condition dropping, frozen text encoder
 *   ─► sample the evaluation clips (CFG) ─► decode ─► PSNR / SSIM / flicker, saved artifacts
 *
 * A VAE-only run (task "vae") stops after the VAE (trained, scored on the
 * held-out clips, reconstruction strips written, saved under `vae/`).
 *
 * Each training phase checkpoints into `checkpoints/<phase>.safetensors`; a
 * re-run resumes it (a finished phase does no step). Every random draw comes
 * from a named stream of the run seed.
 *
 * References: RealisDance-DiT (2025) §3 (reference latent appended with shifted
 * RoPE, pose conditions through a zero-initialised projection, part fine-tuning,
 * condition dropping 0.05, CFG 2); nanoGPT's flat training script.
 */
import * as tf from "@tensorflow/tfjs-core";
import {
  buildDesign,
  checkMemoryBudget,
  MemoryBudgetError,
  designModelFn,
  dropConditions,
  parseByteSize,
  resolveTrainable,
} from "../model/designs/mod.ts";
import type { Cond } from "../diffusion/mod.ts";
import {
  countParams,
  getPreset,
  initWanParams,
  loadWanCheckpoint,
  saveWanCheckpoint,
  TextKVCache,
  wanModelFn,
} from "../model/mod.ts";
import { atomicWrite } from "../io/atomic_write.ts";
import type { Clip } from "../data/clip.ts";
import { latentMask, saveVae, type Vae } from "../vae/mod.ts";
import type { ResolvedRun } from "./experiment.ts";
import type { AnimateRunConfig, PretrainRunConfig } from "./run_config.ts";
import { designLabel, splitDesign } from "./model_design.ts";
import type { RunContext, RunOutcome } from "./run_sweep.ts";
import { openRunData, type RunData } from "./_run_data.ts";
import { makeTrainSet } from "./_train_set.ts";
import { masksToTensor, stream, tensorSource, videosToTensor } from "./_pipeline_data.ts";
import { cachedConditions } from "./_latent_cache.ts";
import { encodeLatents, vaePhase, vaeReconScores, writeVaeReconStrips } from "./_vae_phase.ts";
import { textSide } from "./_text_side.ts";
import { saveTextEncoder } from "./_text_encoder_io.ts";
import { type DitBatch, ditTrain, validationLoss } from "./_dit_train.ts";
import { sampleAndScore } from "./_sample_and_score.ts";
import { checkpointEval, checkpointEvalInputs } from "./_checkpoint_eval.ts";
import { featureNetsTask } from "./_feature_nets_task.ts";
import { benchmarkTask } from "./_benchmark_task.ts";
import { sampleTask } from "./_sample_task.ts";
import { designConditions } from "./_design_conditions.ts";
import { saveDesignCheckpoint } from "./_design_checkpoint.ts";

/** The clips of a run. */
interface RunClips {
  /** Where they come from (`data.source`). */
  data: RunData;
  /** The training clips: kept for `animate` (it encodes their poses and references), null for `pretrain`. */
  train: Clip[] | null;
  /** The training clips' captions, in order (both tasks). */
  trainCaptions: string[];
  val: Clip[];
  eval: Clip[];
}

/** What the DiT phase of either task starts from. */
interface PhaseInputs {
  clips: RunClips;
  vae: Vae;
  /** [N, 3, F, H, W] in [−1, 1] */
  trainVideo: tf.Tensor;
  valVideo: tf.Tensor;
  /** The character on the VAE's latent grid [N, 1, F', H', W']: held-out clips always, training clips when train.maskWeight > 0. */
  masks: { train: tf.Tensor | null; val: tf.Tensor };
}

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
  if (cfg.task === "feature-nets") return await featureNetsTask(run, ctx);
  if (cfg.task === "benchmark") return await benchmarkTask(run, ctx);
  if (cfg.task === "sample") return await sampleTask(run, ctx);
  const t0 = performance.now();
  const size = { frames: cfg.data.frames, height: cfg.data.height, width: cfg.data.width };
  const set = cfg.task === "animate" ? "finetune" as const : "pretrain" as const;
  // The training clips' character masks weight the VAE's loss (vae.maskWeight) and the DiT's (train.maskWeight;
  // a VAE-only run trains no DiT and needs none for it).
  const ditMaskWeighted = cfg.task !== "vae" && cfg.train.maskWeight > 0;
  const needTrainMask = (!cfg.vae.checkpoint && cfg.vae.maskWeight > 0) || ditMaskWeighted;
  // The source first: a folder the run cannot use (size, manifest, too few clips) stops it before any work.
  const data = await openRunData(cfg.data.source, {
    set,
    size,
    counts: { train: cfg.data.trainClips, val: cfg.data.valClips, eval: cfg.data.evalClips },
    model: cfg.task === "vae" ? { vae: cfg.vae } : cfg,
  });
  // Read in chunks and stacked; pretraining keeps only their captions (a large corpus never sits in memory twice).
  const train = await makeTrainSet(data, { count: cfg.data.trainClips, masks: needTrainMask, keepClips: cfg.task === "animate" });
  const clips: RunClips = {
    data,
    train: train.clips,
    trainCaptions: train.captions,
    val: await data.clips("val", cfg.data.valClips),
    eval: await data.clips("eval", cfg.data.evalClips),
  };
  const trainVideo = train.video; // (N, 3, F, H, W)
  const trainMask = train.mask; // (N, 1, F, H, W)
  const clipsSeconds = (performance.now() - t0) / 1000;
  const vaeStart = performance.now();
  const vae = await vaePhase(cfg, ctx, { video: trainVideo, mask: trainMask });
  const vaeSeconds = (performance.now() - vaeStart) / 1000;
  if (!vae) {
    tf.dispose([trainVideo, trainMask ?? []]);
    return { interrupted: true, metrics: {} };
  }
  // A foundation run folder holds its VAE beside its DiT, also when the VAE was trained by an earlier run.
  if (cfg.task === "pretrain" && cfg.vae.checkpoint) await saveVae(`${ctx.dir}/vae`, vae);
  const valVideo = videosToTensor(clips.val);
  const valMask = masksToTensor(clips.val); // (N, 1, F, H, W)
  const recon = await vaeReconScores(vae, valVideo, valMask);
  const reconSeconds = (performance.now() - vaeStart) / 1000 - vaeSeconds;
  // The character on the latent grid: weights the DiT's loss and gives val_loss_character.
  const masks = {
    train: trainMask && ditMaskWeighted ? latentMask(trainMask, vae.config) : null, // (N, 1, F', H', W')
    val: latentMask(valMask, vae.config),
  };
  tf.dispose([valMask, trainMask ?? []]);
  // Where a run's wall time goes before its DiT phase (the animate task adds its own set-up phases).
  const metrics: RunOutcome["metrics"] = {
    vae_recon_psnr: recon.psnr,
    clip_cache: data.clipCache(),
    clips_s: clipsSeconds,
    vae_s: vaeSeconds,
    vae_recon_s: reconSeconds,
  };
  if (recon.characterPsnr !== null) metrics.vae_recon_psnr_character = recon.characterPsnr;
  if (cfg.task !== "animate") {
    metrics.vae_params = Object.values(vae.params).reduce((a, p) => a + p.size, 0);
    if (!cfg.vae.checkpoint) {
      // Training, latent statistics and saving; a resumed run counts only its own part.
      metrics.vae_train_s = vaeSeconds;
      metrics.vae_steps = cfg.vae.steps;
    }
    // The foundation's decoder bounds every sample drawn through it: show what it reconstructs.
    await writeVaeReconStrips(vae, valVideo, { dir: `${ctx.dir}/samples`, count: 4 });
  }
  // A VAE-only run ends here: its vae/ folder is the stage later runs load.
  const outcome = cfg.task === "vae" ? { interrupted: false, metrics: {} } : cfg.task === "pretrain"
    ? await pretrain(cfg, ctx, { clips, vae, trainVideo, valVideo, masks })
    : await animate(cfg, ctx, { clips, vae, trainVideo, valVideo, masks });
  tf.dispose([trainVideo, valVideo, masks.val, masks.train ?? [], ...Object.values(vae.params)]);
  if (outcome.interrupted) return outcome;
  Object.assign(metrics, outcome.metrics);
  metrics.total_s = (performance.now() - t0) / 1000;
  return { interrupted: false, metrics };
}

/** Text-to-video training of the foundation DiT and its text encoder. */
async function pretrain(
  cfg: PretrainRunConfig,
  ctx: RunContext,
  d: PhaseInputs,
): Promise<RunOutcome> {
  const { clips, vae } = d;
  const loaded = cfg.model.checkpoint ? await loadWanCheckpoint(cfg.model.checkpoint) : null;
  // A new DiT reads and predicts the VAE's latents: its in/out channels are the VAE's zDim (as Wan's 16).
  const dit = loaded?.cfg ?? { ...getPreset(cfg.model.preset), in_dim: vae.config.zDim, out_dim: vae.config.zDim };
  if (dit.in_dim !== vae.config.zDim || dit.out_dim !== vae.config.zDim) {
    throw new RangeError(
      `Cannot train the DiT in ${cfg.model.checkpoint} on this VAE: its in_dim/out_dim are ${dit.in_dim}/${dit.out_dim}, ` +
        `expected the VAE's ${vae.config.zDim} latent channels`,
    );
  }
  const params = loaded?.params ?? initWanParams(dit, { prng: stream(cfg.seed, "dit-init") });
  const text = await textSide({
    dit,
    preset: cfg.model.preset,
    checkpoint: cfg.model.checkpoint,
    captions: [...clips.trainCaptions, ...clips.val.map((c) => c.caption), ...clips.eval.map((c) => c.caption)],
    seed: cfg.seed,
  });
  const all: Record<string, tf.Variable> = { ...params };
  for (const [k, v] of Object.entries(text.params)) all[`text_encoder.${k}`] = v;
  const trainLat = encodeLatents(vae, d.trainVideo, { label: `${ctx.label} encode` });
  const valLat = encodeLatents(vae, d.valVideo);
  const { masks } = d;
  const trainTok = text.tokens(clips.trainCaptions);
  const valTok = text.tokens(clips.val.map((c) => c.caption));
  const emptyTok = text.tokens([""]);
  const model = wanModelFn({ cfg: dit, params });
  const validate = validationLoss(cfg, model, { latents: valLat, cond: () => ({ context: text.encode(valTok) }), mask: masks.val });
  const start = performance.now();
  const res = await ditTrain(cfg, ctx, {
    params: all,
    trainable: Object.keys(all),
    model,
    // Caption dropout (empty prompt) so the model learns the unconditional branch CFG needs.
    cond: (batch, prng) => {
      const drop = Array.from({ length: batch.tokens.shape[0] }, () => prng.uniform() < cfg.conditioning.dropText);
      if (!drop.some(Boolean)) return { context: text.encode(batch.tokens) };
      const mask = tf.tensor(drop.map((x) => (x ? 1 : 0)), [drop.length, 1], "int32");
      const tokens = tf.where(tf.cast(mask, "bool"), tf.tile(emptyTok, [drop.length, 1]), batch.tokens);
      return { context: text.encode(tokens) };
    },
    data: tensorSource({ latents: trainLat, tokens: trainTok, ...(masks.train ? { mask: masks.train } : {}) }, cfg.seed) as never,
    validate,
  });
  if (res.interrupted) return { interrupted: true, metrics: {} };
  const metrics: RunOutcome["metrics"] = {
    final_loss: res.lastLoss,
    ...prefixed("final_", await validate(res.step)),
    // The same validation with every caption empty: how much the DiT uses its captions
    // (final_val_loss_empty_caption − final_val_loss; near 0 means it draws the same with or without them).
    final_val_loss_empty_caption: (await validationLoss(cfg, model, {
      latents: valLat,
      cond: () => ({ context: text.encode(tf.tile(emptyTok, [valLat.shape[0], 1])) }),
    })(res.step)).val_loss,
    dit_train_s: (performance.now() - start) / 1000,
    dit_params: countParams(dit),
    // Captions longer than text_len are cut (the DiT never sees their end).
    captions_truncated: text.truncated(clips.trainCaptions),
    text_encoder_params: Object.values(text.params).reduce((a, p) => a + p.size, 0),
    steps: res.step,
  };
  await saveWanCheckpoint(`${ctx.dir}/dit`, { cfg: dit, params });
  await saveTextEncoder(`${ctx.dir}/dit`, text);

  const evalVideo = videosToTensor(clips.eval);
  const context = tf.tidy(() => text.encode(text.tokens(clips.eval.map((c) => c.caption))));
  const empty = tf.tidy(() => tf.tile(text.encode(emptyTok), [clips.eval.length, 1, 1]));
  Object.assign(
    metrics,
    await sampleAndScore(cfg, ctx.dir, {
      model,
      clips: clips.eval,
      video: evalVideo,
      latentShape: trainLat.shape.slice(1),
      cond: { context },
      sampler: { ...cfg.sample, shift: cfg.diffusion.shift },
      guide: { nullCond: { context: empty } },
      vae,
    }),
  );
  tf.dispose([trainLat, valLat, trainTok, valTok, emptyTok, evalVideo, context, empty, ...Object.values(all)]);
  return { interrupted: false, metrics };
}

/** RealisDance-DiT fine-tuning: one design of the ablation on the foundation DiT. */
async function animate(
  cfg: AnimateRunConfig,
  ctx: RunContext,
  d: PhaseInputs,
): Promise<RunOutcome> {
  const { clips, vae } = d;
  if (!cfg.model.checkpoint) throw new RangeError(`task "animate" fine-tunes a foundation: model.checkpoint must name a DiT folder`);
  const t0 = performance.now();
  const foundation = await loadWanCheckpoint(cfg.model.checkpoint);
  const { design, scope } = splitDesign(cfg.model.design);
  const label = designLabel(cfg.model.design);
  const dm = buildDesign(foundation, design, { prng: stream(cfg.seed, "design-init"), latentChannels: vae.config.zDim, scope });
  tf.dispose(Object.values(foundation.params));
  const trainable = resolveTrainable(design, Object.keys(dm.params), scope);
  const counts = {
    total_params: Object.values(dm.params).reduce((a, p) => a + p.size, 0),
    trainable_params: trainable.reduce((a, n) => a + dm.params[n].size, 0),
  };
  const text = await textSide({ dit: dm.cfg, preset: cfg.model.preset, checkpoint: cfg.model.checkpoint, captions: [], seed: cfg.seed });

  // Conditions, encoded once: the text encoder is frozen during fine-tuning.
  const dc = designConditions(cfg, { vae, text });
  const conds = (set: Clip[], video: tf.Tensor) => dc.encode(set, video);
  const { masks } = d;
  if (!clips.train) throw new Error("animate needs its training clips: runPipeline keeps them for this task");
  // Encoded once per content and shared across runs (datasets/.cache/latents): a rerun or a new sweep on the same
  // foundation and corpus encodes nothing again.
  const trainClips = clips.train;
  const cached = async (split: string, set_: Clip[], video: tf.Tensor) =>
    cachedConditions(cfg, { set: await clips.data.cacheSet(set_), split, count: set_.length }, () => conds(set_, video));
  const evalVideo = videosToTensor(clips.eval);
  const t1 = performance.now(); // the design built and the text side loaded
  const [tc, vc, ec] = [
    await cached("train", trainClips, d.trainVideo),
    await cached("val", clips.val, d.valVideo),
    await cached("eval", clips.eval, evalVideo),
  ];
  const [train, val, ev] = [tc.conditions, vc.conditions, ec.conditions];
  const uses = [tc.use.status, vc.use.status, ec.use.status];
  const latentCache = uses.every((u) => u === uses[0]) ? uses[0] : "partial";
  const t2 = performance.now(); // conditions encoded or read
  const { nullReference, nullContext } = dc;
  /** Frees everything this task holds (both exits: the OOM outcome and the end of the run). */
  const release = () => {
    tf.dispose([
      ...Object.values(train),
      ...Object.values(val),
      ...Object.values(ev),
      evalVideo,
      ...Object.values(dm.params),
      ...Object.values(text.params),
    ]);
    dc.dispose();
    textCache.dispose();
  };
  // Validation and sampling call the model repeatedly on the same contexts: their text-side K/V are kept
  // (training steps bypass the cache: it is used only outside gradient computation).
  const textCache = new TextKVCache();
  const model = designModelFn(design, dm, { textCache }); // with a LoRA scope, dm.lora applies the adapters
  const condOf = (b: DitBatch) => ({ context: b.context, reference: b.reference, pose: b.pose });
  const dropCond = (b: DitBatch, prng: Parameters<typeof dropConditions>[1]["prng"]) =>
    dropConditions(condOf(b), {
      prng,
      pText: cfg.conditioning.dropText,
      pReference: cfg.conditioning.dropReference,
      nullContext,
      nullReference,
    }).cond;

  // Peak memory of one real training step (forward, loss, backward), measured before training.
  // The latent masks belong to runPipeline; the source only gathers from them.
  const source = tensorSource(masks.train ? { ...train, mask: masks.train } : train, cfg.seed);
  const probeBatch = source.batch(0, cfg.train.microBatch) as DitBatch;
  const trainVars = trainable.map((n) => dm.params[n]);
  // tf.profile's peak counts every live tensor (the run's encoded data set, whatever an earlier run in the same
  // process left): a step's peak is what it allocates above the bytes live before it, plus the design's weights.
  const liveBefore = tf.memory().numBytes;
  const probe = await tf.profile(() => {
    const prng = stream(cfg.seed, "memory-probe");
    const x = probeBatch.latents;
    let cond: Cond = {};
    const { value, grads } = tf.variableGrads(() => {
      const noise = tf.tensor(prng.normals(x.size), x.shape);
      const xt = tf.add(tf.mul(x, 0.5), tf.mul(noise, 0.5));
      cond = dropCond(probeBatch, prng); // the caller's tensors (kept): freed after the backward pass
      const v = model(xt, tf.fill([x.shape[0]], 500), cond);
      return tf.mean(tf.square(tf.sub(v, tf.sub(noise, x)))) as tf.Scalar;
    }, trainVars);
    tf.dispose([value, ...Object.values(grads), ...Object.values(cond)]);
  });
  source.dispose!(probeBatch);
  const peakBytes = probe.peakBytes - liveBefore + counts.total_params * 4; // float32 weights
  const phases = { design_s: (t1 - t0) / 1000, conditions_s: (t2 - t1) / 1000, memory_probe_s: (performance.now() - t2) / 1000 };
  const budgetBytes = cfg.model.memoryBudget ? parseByteSize(cfg.model.memoryBudget) : null;
  let oom: string | null = null;
  try {
    if (budgetBytes !== null) checkMemoryBudget(label, budgetBytes, { peakBytes });
  } catch (e) {
    if (!(e instanceof MemoryBudgetError)) throw e;
    oom = e.message;
  }
  await Deno.mkdir(ctx.dir, { recursive: true });
  await atomicWrite(
    `${ctx.dir}/memory.json`,
    JSON.stringify({ design: label, peak_bytes: peakBytes, budget_bytes: budgetBytes, fits: oom === null }, null, 2) + "\n",
  );
  if (oom !== null) {
    // The paper's "out of memory" row is an outcome of the comparison, not a failed run: record it and stop here.
    release();
    return {
      interrupted: false,
      metrics: { design: label, oom: true, oom_reason: oom, peak_bytes: peakBytes, memory_budget_bytes: budgetBytes, ...counts, ...phases },
    };
  }

  const kept = cfg.eval.keptSteps;
  if (kept) await checkpointEvalInputs(); // what the evaluation at the end loads, checked before training
  const validate = validationLoss(cfg, model, { latents: val.latents, cond: () => condOf(val as DitBatch), mask: masks.val });
  const start = performance.now();
  const res = await ditTrain(cfg, ctx, {
    params: dm.params,
    trainable,
    model,
    cond: dropCond,
    data: source as never,
    validate,
  });
  if (res.interrupted) {
    release();
    return { interrupted: true, metrics: {} };
  }
  const trainS = (performance.now() - start) / 1000;
  const metrics: RunOutcome["metrics"] = {
    design: label,
    latent_cache: latentCache,
    ...(tc.use.key ? { latent_cache_key: tc.use.key } : {}),
    final_loss: res.lastLoss,
    ...prefixed("final_", await validate(res.step)),
    ...phases,
    dit_train_s: trainS,
    train_step_ms: (trainS * 1000) / Math.max(1, res.step - res.resumedFrom),
    ...counts,
    peak_bytes: peakBytes,
    steps: res.step,
    captions_truncated: text.truncated(clips.trainCaptions),
  };
  await saveDesignCheckpoint(`${ctx.dir}/dit`, { design, scope, cfg: dm.cfg, params: dm.params, lora: dm.lora });

  Object.assign(
    metrics,
    await sampleAndScore(cfg, ctx.dir, {
      model,
      clips: clips.eval,
      video: evalVideo,
      latentShape: train.latents.shape.slice(1),
      cond: { context: ev.context, reference: ev.reference, pose: ev.pose },
      sampler: dc.sampler,
      guide: dc.guide(clips.eval.length),
      vae,
    }),
  );
  if (kept) {
    // Pose alignment, diversity and background preservation at every kept checkpoint and the final step.
    Object.assign(
      metrics,
      await checkpointEval(cfg, ctx.dir, {
        params: dm.params,
        model,
        clips: clips.eval,
        latentShape: train.latents.shape.slice(1),
        cond: { context: ev.context, reference: ev.reference, pose: ev.pose },
        sampler: dc.sampler,
        guide: dc.guide(clips.eval.length),
        vae,
        finalStep: res.step,
      }),
    );
  }
  release();
  return { interrupted: false, metrics };
}

function prefixed(prefix: string, o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [prefix + k, v]));
}
