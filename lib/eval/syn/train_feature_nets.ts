/**
 * Trains the offline `-syn` feature networks on the synthetic corpus and
 * recalibrates the classical VBench dimensions, writing everything into one
 * folder (the run folder of `deno task ablate feature_nets`):
 * `image-syn.safetensors`, `video-syn.safetensors` (weights + config in the
 * metadata), `calibration.json` (the classical thresholds, see
 * classical_calibration.ts), `metrics.jsonl` (one line per step of each
 * phase) and `checkpoints/` (training state; a rerun resumes exactly).
 *
 * Data: clips of the `pretrain` and `finetune` sets (never
 * realisdance-val-syn), rendered once into a bank (¾ at 9×32×32, ¼ at
 * 9×64×64); batches are pure functions of (seed, position). Image encoder: two
 * views of one clip (whole frames, character crops or background views, of two
 * frames or the reference image), symmetric InfoNCE plus style /
 * background-kind heads. Video encoder: a clip and an augmented copy
 * (InfoNCE) plus motion kind, camera path and temporal-corruption (natural /
 * shuffled / frozen / flicker) heads. Both run through lib/train's trainLoop
 * (AdamW, cosine schedule to lr/20 after min(50, steps − 1) warmup steps,
 * global-norm clip 1, biases without decay).
 *
 * References: lib/train trainLoop; Chen et al., SimCLR (2020); Radford et
 * al., CLIP (2021); VBench dynamic_degree.py / motion_smoothness.py.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { atomicWrite } from "../../io/atomic_write.ts";
import { Prng } from "../../random/prng.ts";
import { readJsonl, trainLoop } from "../../train/mod.ts";
import { ProgressBar } from "../../io/progress_bar.ts";
import { initSynNetParams } from "./init_syn_net_params.ts";
import { loadSynNetworks, SYN_FILES } from "./load_syn_networks.ts";
import { saveSynNetwork } from "./save_syn_network.ts";
import type { SynImageConfig, SynVideoConfig } from "./syn_net_config.ts";
import { synImageForward } from "./syn_image_forward.ts";
import { synVideoForward } from "./syn_video_forward.ts";
import { buildCalibration } from "./_calibration.ts";
import { sanityFigures } from "./_sanity.ts";
import { infoNce, maskedCrossEntropy } from "./_syn_losses.ts";
import { type ImageBatch, imageBatch, type PoolSource, renderPool, type VideoBatch, videoBatch } from "./_train_data.ts";

/** First pretrain index of the held-out sanity clips (far from the training bank and the pipeline's validation range). */
export const HOLDOUT_FIRST = 2 ** 27 + 2 ** 20;

/** The optimisation settings of one encoder. */
export interface FeatureNetPhase {
  /** Optimizer steps. */
  steps: number;
  /** Clips per step (each gives two views). */
  clips: number;
  /** Peak learning rate: min(50, steps − 1) warmup steps, then cosine decay to lr/20. */
  lr: number;
  weightDecay: number;
  /** InfoNCE temperature τ. */
  temperature: number;
  /** Weight of the label heads' cross-entropy next to InfoNCE. */
  headWeight: number;
}

/** Everything that decides the trained weights and the figures. */
export interface FeatureNetsTrainConfig {
  seed: number;
  /** Clips in the bank: ¾ at 9×32×32 (half pretrain, half finetune), ¼ at 9×64×64. */
  pool: number;
  image: FeatureNetPhase & { config: SynImageConfig };
  video: FeatureNetPhase & { config: SynVideoConfig };
  /** Training-state checkpoint every K steps of each phase. */
  checkpointEvery: number;
  /** Held-out pretraining clips (9×32×32) for the sanity figures; 0 = none. */
  sanityClips: number;
  /** Clip sizes of realisdance-val-syn that get a classical calibration; [] = no calibration.json. */
  calibrationSizes: { frames: number; height: number; width: number }[];
}

/** Options of {@link trainFeatureNets}. */
export interface TrainFeatureNetsOptions {
  /** Asked after every step; true stops after checkpointing (a rerun resumes). */
  shouldStop?: () => boolean;
  /** Prefix of the progress bars, e.g. "run 1/1 0". */
  label?: string;
  /** Extra metadata stored in both networks' files (git commit, backend…). */
  metadata?: Record<string, string>;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

/** What {@link trainFeatureNets} returns. */
export interface TrainFeatureNetsResult {
  interrupted: boolean;
  /**
   * Flat figures: `{image,video}_final_loss` / `_train_s` (sum of step times over all
   * sessions) / `_steps` / `_params`, `render_s`, `sanity_*`, `sanity_s`,
   * `calibration_<F>x<H>x<W>_*`, `calibration_s`.
   */
  metrics: Record<string, number>;
}

/**
 * Trains (or resumes) both `-syn` encoders in `dir`, then computes their
 * sanity figures and the classical calibration.
 *
 * @param dir the output folder (created)
 * @param cfg the training settings
 * @param options stop flag, progress label, file metadata
 * @returns whether it was interrupted, and the final figures
 * @example
 * ```ts ignore
 * import { SYN_NET_PRESETS } from "./syn_net_config.ts";
 * const phase = { steps: 2, clips: 4, lr: 2e-3, weightDecay: 0.05, temperature: 0.1, headWeight: 0.5 };
 * const res = await trainFeatureNets("/tmp/nets", {
 *   seed: 0, pool: 16, checkpointEvery: 100, sanityClips: 0, calibrationSizes: [],
 *   image: { ...phase, config: SYN_NET_PRESETS["image-syn"] },
 *   video: { ...phase, config: SYN_NET_PRESETS["video-syn"] },
 * });
 * console.log(res.metrics.image_final_loss);
 * ```
 */
export async function trainFeatureNets(
  dir: string,
  cfg: FeatureNetsTrainConfig,
  options: TrainFeatureNetsOptions = {},
): Promise<TrainFeatureNetsResult> {
  const log = options.log ?? ((l: string) => console.error(l));
  const label = options.label ? `${options.label} ` : "";
  const minClips = Math.max(cfg.image.clips, cfg.video.clips);
  if (!Number.isInteger(cfg.pool) || cfg.pool < minClips) {
    throw new RangeError(
      `Cannot train the -syn networks as pool must be an integer >= ${minClips} (the larger clips per step): received ${cfg.pool}`,
    );
  }
  await Deno.mkdir(dir, { recursive: true });
  const metrics: Record<string, number> = {};

  const t0 = performance.now();
  const pool = renderPool(poolSources(cfg.pool));
  metrics.render_s = (performance.now() - t0) / 1000;
  log(`${label}rendered ${pool.length} training clips in ${metrics.render_s.toFixed(1)} s`);
  const root = new Prng(cfg.seed);
  const meta = (steps: number) => ({ ...options.metadata, seed: String(cfg.seed), steps: String(steps) });

  // The optimisation settings both encoders share.
  let bar: ProgressBar;
  const phaseOptions = (c: FeatureNetPhase, name: string, prng: Prng) => ({
    steps: c.steps,
    microBatch: c.clips,
    accumulation: 1,
    lr: c.lr,
    schedule: { kind: "cosine" as const, warmupSteps: Math.min(50, c.steps - 1), minLr: c.lr / 20 },
    weightDecay: c.weightDecay,
    noDecay: (n: string) => n.endsWith(".bias"),
    clipNorm: 1,
    emaDecay: 0,
    prng,
    dir,
    name,
    checkpointEvery: cfg.checkpointEvery,
    shouldStop: options.shouldStop,
    onStep: ({ step, loss }: { step: number; loss: number }) => bar.update(step, { loss }),
  });

  // ── Image encoder ─────────────────────────────────────────────────────
  const ic = cfg.image;
  const imageParams = initSynNetParams(ic.config, { prng: root.fork(1) });
  bar = new ProgressBar(`${label}image-syn`, ic.steps);
  const imageRes = await trainLoop<ImageBatch>({
    params: imageParams,
    trainable: Object.keys(imageParams),
    loss: (batch) => {
      const r = synImageForward(imageParams, batch.x, { config: ic.config });
      const b = batch.x.shape[0] / 2;
      const z1 = tf.slice(r.features, [0, 0], [b, -1]) as tf.Tensor2D; // (B, D) view 1
      const z2 = tf.slice(r.features, [b, 0], [b, -1]) as tf.Tensor2D; // (B, D) view 2
      const heads = tf.add(
        maskedCrossEntropy(r.logits.style, batch.style, batch.styleMask),
        maskedCrossEntropy(r.logits.background, batch.background, batch.backgroundMask),
      );
      return { loss: tf.add(infoNce(z1, z2, ic.temperature), tf.mul(heads, ic.headWeight)) as tf.Scalar };
    },
    data: {
      size: pool.length,
      batch: (position, count) => imageBatch(pool, position, count, { seed: cfg.seed, size: ic.config.inputSize }),
      dispose: (b) => tf.dispose([b.x, b.style, b.styleMask, b.background, b.backgroundMask]),
    },
    ...phaseOptions(ic, ic.config.name, root.fork(2)),
  });
  bar.done();
  if (imageRes.interrupted) {
    tf.dispose(Object.values(imageParams));
    return { interrupted: true, metrics: {} };
  }
  await saveSynNetwork(`${dir}/${SYN_FILES.image}`, { params: imageParams, config: ic.config, metadata: meta(ic.steps) });
  metrics.image_params = Object.values(imageParams).reduce((a, p) => a + p.size, 0);
  tf.dispose(Object.values(imageParams));

  // ── Video encoder ─────────────────────────────────────────────────────
  const vc = cfg.video;
  const videoParams = initSynNetParams(vc.config, { prng: root.fork(3) });
  bar = new ProgressBar(`${label}video-syn`, vc.steps);
  const videoRes = await trainLoop<VideoBatch>({
    params: videoParams,
    trainable: Object.keys(videoParams),
    loss: (batch) => {
      const r = synVideoForward(videoParams, batch.x, { config: vc.config });
      const b = batch.pairs;
      const z1 = tf.slice(r.features, [0, 0], [b, -1]) as tf.Tensor2D; // (B, D) view A
      const z2 = tf.slice(r.features, [b, 0], [b, -1]) as tf.Tensor2D; // (B, D) view B
      const all = tf.onesLike(batch.naturalMask) as tf.Tensor1D;
      const heads = tf.addN([
        maskedCrossEntropy(r.logits.motion, batch.motion, batch.naturalMask),
        maskedCrossEntropy(r.logits.camera, batch.camera, batch.naturalMask),
        maskedCrossEntropy(r.logits.temporal, batch.temporal, all),
      ]);
      return { loss: tf.add(infoNce(z1, z2, vc.temperature), tf.mul(heads, vc.headWeight)) as tf.Scalar };
    },
    data: {
      size: pool.length,
      batch: (position, count) =>
        videoBatch(pool, position, count, { seed: cfg.seed + 1, size: vc.config.inputSize, clipLength: vc.config.clipLength }),
      dispose: (b) => tf.dispose([b.x, b.motion, b.camera, b.naturalMask, b.temporal]),
    },
    ...phaseOptions(vc, vc.config.name, root.fork(4)),
  });
  bar.done();
  if (videoRes.interrupted) {
    tf.dispose(Object.values(videoParams));
    return { interrupted: true, metrics: {} };
  }
  await saveSynNetwork(`${dir}/${SYN_FILES.video}`, { params: videoParams, config: vc.config, metadata: meta(vc.steps) });
  metrics.video_params = Object.values(videoParams).reduce((a, p) => a + p.size, 0);
  // Losses and step times from the log, so phases finished in an earlier session count too.
  Object.assign(metrics, await phaseFigures(`${dir}/metrics.jsonl`, { image: ic, video: vc }));

  try {
    if (cfg.sanityClips > 0) {
      const t1 = performance.now();
      const held = renderPool([{ set: "pretrain", first: HOLDOUT_FIRST, count: cfg.sanityClips, size: { frames: 9, height: 32, width: 32 } }]);
      const nets = await loadSynNetworks(dir);
      try {
        const s = await sanityFigures(held, nets, { params: videoParams, config: vc.config });
        for (const [k, v] of Object.entries(s)) metrics[`sanity_${k}`] = v;
      } finally {
        nets.dispose();
      }
      metrics.sanity_s = (performance.now() - t1) / 1000;
    }
  } finally {
    tf.dispose(Object.values(videoParams));
  }
  if (cfg.calibrationSizes.length > 0) {
    const t2 = performance.now();
    const calibration = await buildCalibration(cfg.calibrationSizes, (s) => log(`${label}${s}`));
    await atomicWrite(`${dir}/${SYN_FILES.calibration}`, JSON.stringify(calibration, null, 2) + "\n");
    metrics.calibration_s = (performance.now() - t2) / 1000;
    for (const [k, e] of Object.entries(calibration.sizes)) {
      metrics[`calibration_${k}_threshold_scale`] = e.dynamicDegree.thresholdScale;
      metrics[`calibration_${k}_balanced_accuracy`] = e.dynamicDegree.balancedAccuracy;
      metrics[`calibration_${k}_vbench_balanced_accuracy`] = e.dynamicDegree.vbench.balancedAccuracy;
      metrics[`calibration_${k}_motion_smoothness_gt`] = e.motionSmoothness.gtScore;
    }
  }
  return { interrupted: false, metrics };
}

/** The bank's sources: ¾ at 9×32×32, ¼ at 9×64×64, each half pretrain and half finetune. */
function poolSources(pool: number): PoolSource[] {
  const small = Math.round(pool * 0.75), large = pool - small;
  return [
    { set: "pretrain", first: 0, count: Math.ceil(small / 2), size: { frames: 9, height: 32, width: 32 } },
    { set: "finetune", first: 0, count: Math.floor(small / 2), size: { frames: 9, height: 32, width: 32 } },
    { set: "pretrain", first: 100_000, count: Math.ceil(large / 2), size: { frames: 9, height: 64, width: 64 } },
    { set: "finetune", first: 100_000, count: Math.floor(large / 2), size: { frames: 9, height: 64, width: 64 } },
  ].filter((s) => s.count > 0) as PoolSource[];
}

/** Final loss, steps and summed step time of each phase, read from metrics.jsonl. */
async function phaseFigures(
  path: string,
  phases: { image: FeatureNetPhase & { config: { name: string } }; video: FeatureNetPhase & { config: { name: string } } },
): Promise<Record<string, number>> {
  const lines = (await readJsonl(path)) ?? [];
  const out: Record<string, number> = {};
  for (const [key, p] of Object.entries(phases)) {
    const rows = lines.filter((r): r is Record<string, unknown> => r !== null && r.phase === p.config.name);
    const last = rows.at(-1);
    if (!last || last.step !== p.steps) {
      throw new RangeError(
        `Cannot read the ${p.config.name} phase from ${path}: expected its last line at step ${p.steps}, received ${JSON.stringify(last?.step ?? null)}`,
      );
    }
    out[`${key}_final_loss`] = last.loss as number;
    out[`${key}_steps`] = p.steps;
    // samples_per_s = clips / step time, so the step time is clips / samples_per_s.
    out[`${key}_train_s`] = rows.reduce((a, r) => a + p.clips / (r.samples_per_s as number), 0);
  }
  return out;
}
