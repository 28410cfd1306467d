/**
 * Trains the offline `-syn` feature networks on the synthetic corpus and
 * recalibrates the classical VBench dimensions:
 *
 *   deno run -A lib/eval/syn/train_feature_nets_cli.ts --out results/feature_nets [--steps N] [--seed S]
 *     [--image-steps N] [--video-steps N] [--pool N] [--backend auto|blas|wasm|cpu] [--threads T]
 *     [--skip-sanity] [--skip-calibration]
 *
 * Data: clips of the `pretrain` and `finetune` sets (never realisdance-val-syn),
 * rendered once into a bank (¾ at 9×32×32, ¼ at 9×64×64); batches are pure
 * functions of (seed, position). Image encoder: two views of one clip (whole
 * frames, character crops or background views, of two frames or the
 * reference image), symmetric InfoNCE (τ = 0.1) plus style / background-kind
 * heads. Video encoder: a clip and an augmented copy (InfoNCE) plus motion
 * kind, camera path and temporal-corruption (natural / shuffled / frozen /
 * flicker) heads. Both run through
 * lib/train's trainLoop (AdamW, cosine schedule, atomic checkpoints in
 * <out>/checkpoints/, exact resume: rerun the same command).
 *
 * Writes to <out>: image-syn.safetensors, video-syn.safetensors (weights +
 * config in the metadata), calibration.json (the classical thresholds, see
 * classical_calibration.ts), config.json (seed, backend, git commit, the
 * training settings, timings, final losses, sanity figures), metrics.jsonl.
 *
 * References: lib/train trainLoop; Chen et al., SimCLR (2020); Radford et
 * al., CLIP (2021); VBench dynamic_degree.py / motion_smoothness.py.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../engine/mod.ts";
import { atomicWrite } from "../../io/atomic_write.ts";
import { Prng } from "../../random/prng.ts";
import { trainLoop } from "../../train/mod.ts";
import { gitInfo } from "../../workbench/run_folder.ts";
import { ProgressBar } from "../../workbench/progress_bar.ts";
import { initSynNetParams } from "./init_syn_net_params.ts";
import { loadSynNetworks, SYN_FILES } from "./load_syn_networks.ts";
import { saveSynNetwork } from "./save_syn_network.ts";
import { SYN_NET_PRESETS, type SynImageConfig, type SynVideoConfig } from "./syn_net_config.ts";
import { synImageForward } from "./syn_image_forward.ts";
import { synVideoForward } from "./syn_video_forward.ts";
import { buildCalibration } from "./_calibration.ts";
import { sanityFigures } from "./_sanity.ts";
import { infoNce, maskedCrossEntropy } from "./_syn_losses.ts";
import {
  type ImageBatch,
  imageBatch,
  type PoolSource,
  renderPool,
  type VideoBatch,
  videoBatch,
} from "./_train_data.ts";

/** First pretrain index of the held-out sanity clips (far from the training bank and the pipeline's validation range). */
export const HOLDOUT_FIRST = 2 ** 27 + 2 ** 20;

/** Everything that decides the trained weights (recorded in config.json; a resume must match it). */
export interface FeatureNetsTrainConfig {
  seed: number;
  /** Clips in the bank: ¾ at 9×32×32 (half pretrain, half finetune), ¼ at 9×64×64. */
  pool: number;
  image: {
    config: SynImageConfig;
    steps: number;
    clips: number;
    lr: number;
    weightDecay: number;
    temperature: number;
    headWeight: number;
  };
  video: {
    config: SynVideoConfig;
    steps: number;
    clips: number;
    lr: number;
    weightDecay: number;
    temperature: number;
    headWeight: number;
  };
  /** Clip sizes of realisdance-val-syn that get a classical calibration. */
  calibrationSizes: { frames: number; height: number; width: number }[];
}

/** Defaults (the committed networks' settings). */
export function defaultTrainConfig(seed = 0): FeatureNetsTrainConfig {
  return {
    seed,
    pool: 1536,
    image: {
      config: structuredClone(SYN_NET_PRESETS["image-syn"]) as SynImageConfig,
      steps: 600,
      clips: 32,
      lr: 2e-3,
      weightDecay: 0.05,
      temperature: 0.1,
      headWeight: 0.5,
    },
    video: {
      config: structuredClone(SYN_NET_PRESETS["video-syn"]) as SynVideoConfig,
      steps: 500,
      clips: 16,
      lr: 2e-3,
      weightDecay: 0.05,
      temperature: 0.1,
      headWeight: 0.5,
    },
    calibrationSizes: [
      { frames: 5, height: 32, width: 32 },
      { frames: 9, height: 32, width: 32 },
      { frames: 17, height: 64, width: 64 },
    ],
  };
}

function poolSources(pool: number): PoolSource[] {
  const small = Math.round(pool * 0.75), large = pool - small;
  return [
    { set: "pretrain", first: 0, count: Math.ceil(small / 2), size: { frames: 9, height: 32, width: 32 } },
    { set: "finetune", first: 0, count: Math.floor(small / 2), size: { frames: 9, height: 32, width: 32 } },
    { set: "pretrain", first: 100_000, count: Math.ceil(large / 2), size: { frames: 9, height: 64, width: 64 } },
    { set: "finetune", first: 100_000, count: Math.floor(large / 2), size: { frames: 9, height: 64, width: 64 } },
  ];
}

const USAGE = `usage: train_feature_nets_cli.ts --out DIR [--steps N] [--image-steps N] [--video-steps N] [--seed S]
       [--pool N] [--backend auto|blas|wasm|cpu] [--threads T] [--skip-sanity] [--skip-calibration]`;

/**
 * Runs the trainer.
 *
 * @param args command-line arguments
 * @returns the config.json record written
 * @example
 * ```ts ignore
 * import { main } from "./train_feature_nets_cli.ts";
 * await main(["--out", "/tmp/nets", "--steps", "2", "--pool", "32", "--skip-sanity", "--skip-calibration"]);
 * ```
 */
export async function main(args: string[]): Promise<Record<string, unknown>> {
  const opts = parseArgs(args);
  const out = opts.out;
  if (!out) throw new TypeError(`Missing --out\n${USAGE}`);
  const cfg = defaultTrainConfig(intOpt(opts, "seed", 0));
  cfg.pool = intOpt(opts, "pool", cfg.pool);
  if (opts.steps) cfg.image.steps = cfg.video.steps = intOpt(opts, "steps", 1);
  cfg.image.steps = intOpt(opts, "image-steps", cfg.image.steps);
  cfg.video.steps = intOpt(opts, "video-steps", cfg.video.steps);
  if (cfg.pool < cfg.image.clips) {
    throw new RangeError(`Cannot train as --pool must be >= ${cfg.image.clips} clips: received ${cfg.pool}`);
  }

  const engine = await initEngine({ backend: (opts.backend ?? "auto") as "auto", threads: intOpt(opts, "threads", 1) });
  const git = await gitInfo();
  await Deno.mkdir(out, { recursive: true });
  const configPath = `${out}/config.json`;
  const previous = await readJsonOrNull(configPath);
  if (previous && JSON.stringify(previous.train) !== JSON.stringify(cfg)) {
    throw new Error(
      `${configPath} records different training settings; move or delete ${out} (or pass the same flags) to train anew`,
    );
  }
  const record: Record<string, unknown> = {
    ...(previous ?? {}),
    seed: cfg.seed,
    backend: engine.backend,
    threads: engine.threads,
    engine_notes: engine.notes,
    git_commit: git.commit,
    git_dirty: git.dirty,
    deno: Deno.version.deno,
    started_at: (previous?.started_at as string) ?? new Date().toISOString(),
    train: cfg,
  };
  await atomicWrite(configPath, JSON.stringify(record, null, 2) + "\n");

  const t0 = performance.now();
  const pool = renderPool(poolSources(cfg.pool));
  const renderS = (performance.now() - t0) / 1000;
  console.error(`rendered ${pool.length} training clips in ${renderS.toFixed(1)} s`);
  const root = new Prng(cfg.seed);

  // ── Image encoder ─────────────────────────────────────────────────────
  const ic = cfg.image;
  const imageParams = initSynNetParams(ic.config, { prng: root.fork(1) });
  let bar = new ProgressBar("image-syn", ic.steps);
  // The optimisation settings both encoders share (cosine schedule to lr/20, checkpoints every 100 steps).
  const phaseOptions = (
    c: { steps: number; clips: number; lr: number; weightDecay: number },
    name: string,
    prng: Prng,
  ) => ({
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
    dir: out,
    name,
    checkpointEvery: 100,
    onStep: ({ step, loss }: { step: number; loss: number }) => bar.update(step, { loss }),
  });
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
    ...phaseOptions(ic, "image-syn", root.fork(2)),
  });
  bar.done();
  const meta = (steps: number) => ({
    seed: String(cfg.seed),
    steps: String(steps),
    git_commit: git.commit,
    backend: engine.backend,
  });
  await saveSynNetwork(`${out}/${SYN_FILES.image}`, {
    params: imageParams,
    config: ic.config,
    metadata: meta(ic.steps),
  });

  // ── Video encoder ─────────────────────────────────────────────────────
  const vc = cfg.video;
  const videoParams = initSynNetParams(vc.config, { prng: root.fork(3) });
  bar = new ProgressBar("video-syn", vc.steps);
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
        videoBatch(pool, position, count, {
          seed: cfg.seed + 1,
          size: vc.config.inputSize,
          clipLength: vc.config.clipLength,
        }),
      dispose: (b) => tf.dispose([b.x, b.motion, b.camera, b.naturalMask, b.temporal]),
    },
    ...phaseOptions(vc, "video-syn", root.fork(4)),
  });
  bar.done();
  await saveSynNetwork(`${out}/${SYN_FILES.video}`, {
    params: videoParams,
    config: vc.config,
    metadata: meta(vc.steps),
  });
  // A phase that was already complete runs no step: keep what the earlier session recorded.
  const phase = (name: string, res: { wallMs: number; resumedFrom: number; lastLoss: number }, steps: number) =>
    res.resumedFrom === steps ? {} : {
      [`${name}_train_s`]:
        ((previous?.[`${name}_train_s`] as number | undefined) ?? 0) * (res.resumedFrom > 0 ? 1 : 0) +
        res.wallMs / 1000,
      [`${name}_resumed_from`]: res.resumedFrom,
      [`${name}_final_loss`]: res.lastLoss,
    };
  Object.assign(record, { render_s: renderS }, phase("image", imageRes, ic.steps), phase("video", videoRes, vc.steps));
  tf.dispose(Object.values(imageParams));

  if (opts["skip-sanity"] !== "true") {
    const t1 = performance.now();
    const held = renderPool([{
      set: "pretrain",
      first: HOLDOUT_FIRST,
      count: 200,
      size: { frames: 9, height: 32, width: 32 },
    }]);
    const nets = await loadSynNetworks(out);
    try {
      record.sanity = await sanityFigures(held, nets, { params: videoParams, config: vc.config });
    } finally {
      nets.dispose();
    }
    record.sanity_s = (performance.now() - t1) / 1000;
    console.error(JSON.stringify(record.sanity, null, 2));
  }
  tf.dispose(Object.values(videoParams));
  if (opts["skip-calibration"] !== "true") {
    const t2 = performance.now();
    const calibration = await buildCalibration(cfg.calibrationSizes, (s) => console.error(s));
    await atomicWrite(`${out}/${SYN_FILES.calibration}`, JSON.stringify(calibration, null, 2) + "\n");
    record.calibration_s = (performance.now() - t2) / 1000;
    record.calibration = Object.fromEntries(
      Object.entries(calibration.sizes).map(([k, e]) => [k, {
        thresholdScale: e.dynamicDegree.thresholdScale,
        balancedAccuracy: e.dynamicDegree.balancedAccuracy,
        vbenchBalancedAccuracy: e.dynamicDegree.vbench.balancedAccuracy,
        motionSmoothnessGt: e.motionSmoothness.gtScore,
      }]),
    );
  }
  record.ended_at = new Date().toISOString();
  await atomicWrite(configPath, JSON.stringify(record, null, 2) + "\n");
  return record;
}

function parseArgs(args: string[]): Record<string, string> {
  const flags = new Set(["skip-sanity", "skip-calibration"]);
  const got: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("--")) throw new TypeError(`Unexpected argument "${a}"\n${USAGE}`);
    const key = a.slice(2);
    if (flags.has(key)) {
      got[key] = "true";
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith("--")) throw new TypeError(`Missing value for --${key}\n${USAGE}`);
    got[key] = value;
    i++;
  }
  return got;
}

function intOpt(opts: Record<string, string>, key: string, fallback: number): number {
  if (opts[key] === undefined) return fallback;
  const v = Number(opts[key]);
  if (!Number.isInteger(v) || v < 0) {
    throw new RangeError(`Cannot parse --${key}: expected an integer >= 0, received ${opts[key]}`);
  }
  return v;
}

async function readJsonOrNull(path: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`train_feature_nets_cli: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
