/**
 * `deno task bench`: a training step and a sampling step of the Wan DiT on
 * our engine against the same step in PyTorch, as a verdict that holds on a
 * noisy, shared machine.
 *
 * Two cases (`--case`):
 * - `wan` (default): the `wan-bench` DiT trained in full (forward, flow-matching
 *   MSE, backward, AdamW on every parameter) at batch 4 × [16, 4, 16, 16];
 *   PyTorch side tools/bench/wan_step_torch.py;
 * - `finetune`: the step the model-design ablation runs (its `part-finetune`
 *   row, tools/bench/_finetune_step_inputs.ts): `wan-toy` with the VAE's 16
 *   latent channels, the concat design with a reference and three poses, part
 *   fine-tuning, micro-batch 8 of 9×32×32 clips, the text context
 *   precomputed; PyTorch side tools/bench/finetune_step_torch.py, first
 *   checked equal to the workbench's model to 1e-4 (velocity, loss, every
 *   trainable gradient: tools/bench/_finetune_check.ts), else the bench stops.
 *
 * How it times: each configuration (ours at each `--threads` count; PyTorch
 * at each `--torch` configuration: "N" is N intra-op threads with OpenBLAS's
 * pool pinned to N, "N:free" leaves OpenBLAS's pool to its default) runs as
 * a block in a fresh process (build, `warmup` steps, `runs` timed steps of
 * each kind, their median). Blocks of the two sides alternate (A/B/A/B…) for
 * `rounds` rounds, every other round in reverse order
 * (tools/bench/_alternate_rounds.ts). Per configuration the report gives the
 * best, median and spread of its rounds; per side, its best configuration;
 * and the ratios ours / PyTorch of the bests (the verdict: load only ever
 * adds time) and of the medians. It also counts each step's matrix-multiply
 * FLOPs (tools/bench/_step_flops.ts) to report achieved GFLOP/s beside
 * OpenBLAS's sgemm peak measured in the same run at each thread count.
 *
 * Our sampling step runs as a sampler calls the model: the text side's
 * cross-attention K/V are kept between calls on the same context
 * (lib/model TextKVCache); PyTorch's reference recomputes them every call.
 * `--no-text-cache` times ours recomputing them too (the same workload).
 * Training steps never use the cache (it is bypassed under a gradient tape).
 *
 * Usage:
 *   deno run -A tools/bench/wan_bench.ts [--case wan|finetune] [--json] [--profile]
 *       [--backend blas] [--threads 1,2] [--torch 1,2,1:free | --no-torch]
 *       [--rounds 4] [--runs 5] [--warmup 2] [--no-text-cache] [--preset P] [--batch B]
 *       [--frames F] [--height H] [--width W] [--channels C] [--seed 0]
 *
 * This is a benchmark, not a test: nothing here asserts a time.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (the DiT);
 * RealisDance-DiT (arXiv 2504.14977) §3 (the concat design); Lipman et al.
 * 2023 §4.1 (flow matching); Chen & Revels 2016, "Robust benchmarking in
 * noisy environments" (minimum of interleaved rounds); TensorFlow.js
 * `tf.profile` (per-kernel times, via profileKernels).
 *
 * @module
 */
import { type BackendName, type EngineInfo, initEngine } from "../../lib/engine/init_engine.ts";
import { type KernelTime, profileKernels } from "../../lib/engine/profile_kernels.ts";
import { countParams } from "../../lib/model/count_params.ts";
import { designParamShapes, resolveTrainable } from "../../lib/model/designs/mod.ts";
import { getPreset } from "../../lib/model/model_presets.ts";
import type { WanConfig } from "../../lib/model/wan_config.ts";
import { alternateRounds, type BlockRecord, type BlockSpec, interleave } from "./_alternate_rounds.ts";
import { type FinetuneCheck, finetuneCheck } from "./_finetune_check.ts";
import { FINETUNE_DESIGN, finetuneStepInputs } from "./_finetune_step_inputs.ts";
import { BENCH_CASES, type BenchCase, caseStep, type OursBlock, type OursBlockOptions } from "./_ours_block.ts";
import {
  oursSubprocess,
  parseTorchConfig,
  type TorchBlock,
  torchMissing,
  torchSubprocess,
} from "./_bench_processes.ts";
import { benchSummary, parseBenchArgs } from "./_bench_cli.ts";
import { type RoundStats, roundStats } from "./_round_stats.ts";
import { stepFlops } from "./_step_flops.ts";

export { BENCH_CASES, type BenchCase } from "./_ours_block.ts";
export type { TorchBlock } from "./_bench_processes.ts";
export { benchSummary, parseBenchArgs } from "./_bench_cli.ts";

/** Options of {@link wanBench}; every field has the `deno task bench` default. */
export interface WanBenchOptions {
  /** "wan" (default) or "finetune". */
  case?: BenchCase;
  /** Model preset (default: the case's). */
  preset?: string;
  /** Engine backend (default "blas"). */
  backend?: BackendName;
  /** Our thread counts, each a configuration (default [1, 2]). */
  threads?: number[];
  /** PyTorch configurations, "N" or "N:free" (default ["1", "2", "1:free"]); empty: ours alone. */
  torch?: string[];
  /** Batch (default: the case's). */
  batch?: number;
  /** Latent frames, height, width (default: the case's). */
  latent?: [number, number, number];
  /** Latent channels of the finetune case (default 16; the wan case uses the preset's in_dim). */
  channels?: number;
  /** Rounds of alternation (default 4). */
  rounds?: number;
  /** Timed steps of each kind per block (default 5). */
  runs?: number;
  /** Untimed steps of each kind per block (default 2). */
  warmup?: number;
  /** Also profile both steps per kernel (in this process, at the first thread count). */
  profile?: boolean;
  /** Seed of the parameters and inputs (default 0). */
  seed?: number;
  /** Our sampling step keeps the text side's cross-attention K/V between calls, as a sampler does (default true). */
  textCache?: boolean;
  /** Called after every block (progress). */
  onBlock?: (line: string) => void;
}

/** One configuration over the rounds (wall-time medians of each block). */
export interface ConfigStats {
  train: RoundStats;
  sample: RoundStats;
  /** The same on process CPU time. */
  train_cpu: RoundStats;
  sample_cpu: RoundStats;
}

/** A side's best configuration for one step. */
export interface SideBest {
  config: string;
  best: number;
  median: number;
  spread: number;
}

/** What {@link wanBench} returns (and `--json` prints). */
export interface WanBenchReport {
  case: BenchCase;
  preset: string;
  config: WanConfig;
  params: number;
  trainable_params: number;
  batch: number;
  /** Latent shape of one sample [C, F, H, W]. */
  latent: number[];
  context: number[];
  /** Video tokens. */
  tokens: number;
  /** Reference tokens appended along the sequence (finetune). */
  reference_tokens: number;
  backend: string;
  engine: EngineInfo;
  /** Whether our sampling step kept the text side's K/V between calls (PyTorch's reference recomputes them). */
  text_cache: boolean;
  rounds: number;
  runs: number;
  warmup: number;
  /** Ours by thread count. */
  ours: Record<string, ConfigStats & { tensors_stable: boolean; last_loss: number }>;
  /** PyTorch by configuration; null without PyTorch. */
  torch: Record<string, ConfigStats & { version: string; params: number }> | null;
  /** Why there is no PyTorch side. */
  torch_note?: string;
  /** The finetune case's check of the PyTorch reference (null when not run). */
  check: FinetuneCheck | null;
  /** Every block in the order it ran. */
  blocks: Array<
    { round: number; side: "ours" | "torch"; config: string; start_ms: number; train_ms: number; sample_ms: number }
  >;
  /** Ours: the best round of the best configuration, ms. */
  train_step_ms: number;
  sample_step_ms: number;
  train_step: SideBest;
  sample_step: SideBest;
  torch_train_step_ms: number | null;
  torch_sample_step_ms: number | null;
  torch_train_step: SideBest | null;
  torch_sample_step: SideBest | null;
  /** Ours / PyTorch of the bests: the verdict. */
  train_ratio: number | null;
  sample_ratio: number | null;
  /** Ours / PyTorch of the same configurations' medians. */
  train_ratio_median: number | null;
  sample_ratio_median: number | null;
  /** Matrix-multiply FLOPs of one step. */
  flops: { train: number; sample: number };
  /** Achieved GFLOP/s at the best rounds. */
  gflops: { train: number; sample: number; torch_train: number | null; torch_sample: number | null };
  /** OpenBLAS sgemm peak by thread count, the best block of the run (null off the blas backend). */
  sgemm_peak_gflops: Record<string, number> | null;
  /** Achieved / the sgemm peak at the same thread count (PyTorch's free pool: the most threads measured). */
  peak_share: { train: number | null; sample: number | null; torch_train: number | null; torch_sample: number | null };
  /** Every block of ours kept its live tensor count. */
  tensors_stable: boolean;
  /** The checkout's commit (`git rev-parse --short HEAD`, "+dirty" with uncommitted changes; null outside git). */
  commit: string | null;
  /** 1, 5, 15-minute load averages at the start and the end. */
  load_average: { start: number[]; end: number[] };
  /** Per-kernel times per step (with `profile`). */
  profile?: { train: KernelTime[]; sample: KernelTime[]; train_table: string; sample_table: string };
}

function checkCount(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) {
    throw new RangeError(`Cannot run the benchmark as ${name} must be an integer >= ${min}: received ${v}`);
  }
}

/**
 * Runs the benchmark.
 * @param options case, sizes, thread counts of both sides, rounds
 * @returns per-configuration rounds, each side's best, ratios, FLOP rates and the conditions
 * @example
 * ```ts ignore
 * import { wanBench } from "./wan_bench.ts";
 * const r = await wanBench({ preset: "wan-smoke", backend: "cpu", threads: [1], rounds: 1, runs: 1, warmup: 0, torch: [] });
 * console.log(r.train_step_ms > 0, r.tensors_stable); // true true
 * ```
 */
export async function wanBench(options: WanBenchOptions = {}): Promise<WanBenchReport> {
  const kind = options.case ?? "wan";
  if (!Object.hasOwn(BENCH_CASES, kind)) {
    throw new RangeError(`Unknown bench case "${kind}": expected one of ${Object.keys(BENCH_CASES).join(", ")}`);
  }
  const defaults = BENCH_CASES[kind];
  const presetName = options.preset ?? defaults.preset;
  const preset = getPreset(presetName);
  const batch = options.batch ?? defaults.batch;
  const [frames, height, width] = options.latent ?? defaults.latent;
  if (kind === "wan" && options.channels !== undefined) {
    throw new RangeError(
      `Cannot set channels in the wan case as it uses the preset's in_dim (${preset.in_dim}): received ${options.channels}`,
    );
  }
  const channels = kind === "finetune" ? options.channels ?? defaults.channels ?? 16 : preset.in_dim;
  const cfg: WanConfig = { ...preset, in_dim: channels, out_dim: kind === "finetune" ? channels : preset.out_dim };
  const rounds = options.rounds ?? 4, runs = options.runs ?? 5, warmup = options.warmup ?? 2;
  const threads = options.threads ?? [1, 2];
  const torchConfigs = options.torch ?? ["1", "2", "1:free"];
  const seed = options.seed ?? 0;
  const textCache = options.textCache ?? true;
  for (const [k, v] of Object.entries({ batch, rounds, runs, frames, height, width, channels })) checkCount(k, v, 1);
  checkCount("warmup", warmup, 0);
  checkCount("seed", seed, 0);
  if (threads.length === 0) throw new RangeError("Cannot run the benchmark as threads must list at least one count");
  threads.forEach((n) => checkCount("each thread count", n, 1));
  torchConfigs.forEach(parseTorchConfig);
  const [pt, ph, pw] = cfg.patch_size;
  if (frames % pt || height % ph || width % pw) {
    throw new RangeError(
      `Cannot run the benchmark as the latent (${frames}, ${height}, ${width}) must be divisible by the patch size (${pt}, ${ph}, ${pw})`,
    );
  }
  const loadStart = Deno.loadavg();
  const backend = options.backend ?? "blas";
  const engine = await initEngine({ backend, threads: threads[0] });
  const coreType = engine.blas?.coreType;

  // What is trained and how much arithmetic a step is.
  const tokens = (frames / pt) * (height / ph) * (width / pw);
  const referenceTokens = kind === "finetune" ? (1 / pt) * (height / ph) * (width / pw) : 0;
  const shapes = kind === "finetune"
    ? designParamShapes(cfg, FINETUNE_DESIGN, { latentChannels: channels, scope: "part" })
    : null;
  const trainable = new Set(
    shapes ? resolveTrainable(FINETUNE_DESIGN, shapes.map(([n]) => n), "part") : [],
  );
  const params = shapes ? shapes.reduce((a, [, s]) => a + s.reduce((x, y) => x * y, 1), 0) : countParams(cfg);
  const trainableParams = shapes
    ? shapes.filter(([n]) => trainable.has(n)).reduce((a, [, s]) => a + s.reduce((x, y) => x * y, 1), 0)
    : params;
  const flops = stepFlops(cfg, {
    batch,
    channels,
    tokens,
    referenceTokens,
    poseChannels: kind === "finetune" ? FINETUNE_DESIGN.poses.length * channels : 0,
  }, shapes ? (n) => trainable.has(n) : () => true);

  // PyTorch: present? and for the finetune case, the same function?
  const torchNote: string | undefined = torchConfigs.length === 0 ? "not asked for (--no-torch)" : await torchMissing();
  let check: FinetuneCheck | null = null;
  if (torchNote === undefined && kind === "finetune") {
    const step = finetuneStepInputs(preset, { batch, latent: [frames, height, width], channels, seed });
    try {
      check = await finetuneCheck(step, { coreType });
    } finally {
      step.dispose();
    }
  }
  const useTorch = torchNote === undefined;

  const blockOptions = (n: number): OursBlockOptions => ({
    case: kind,
    preset: presetName,
    backend,
    threads: n,
    batch,
    latent: [frames, height, width],
    channels,
    runs,
    warmup,
    seed,
    textCache,
  });
  type Result = { ours: OursBlock } | { torch: TorchBlock };
  const ours: BlockSpec<Result>[] = threads.map((n) => ({
    side: "ours",
    config: String(n),
    run: async () => ({ ours: await oursSubprocess(blockOptions(n)) }),
  }));
  const torch: BlockSpec<Result>[] = useTorch
    ? torchConfigs.map((c) => ({
      side: "torch",
      config: c,
      run: async () => ({
        torch: await torchSubprocess(kind, cfg, {
          ...parseTorchConfig(c),
          batch,
          latent: [frames, height, width],
          runs,
          warmup,
          coreType,
        }),
      }),
    }))
    : [];
  const timing = (
    r: Result,
  ) => ("ours" in r
    ? { train: r.ours.train, sample: r.ours.sample }
    : { train: r.torch.train_step, sample: r.torch.sample_step });
  const records = await alternateRounds(interleave(ours, torch), {
    rounds,
    onBlock: (b) => {
      const t = timing(b.result);
      options.onBlock?.(
        `round ${b.round + 1}/${rounds} ${b.side} ${b.config}: train ${t.train.wall_median.toFixed(1)} ms, sample ${
          t.sample.wall_median.toFixed(1)
        } ms`,
      );
    },
  });

  const stats = (rs: BlockRecord<Result>[]): ConfigStats => {
    const ts = rs.map((r) => timing(r.result));
    return {
      train: roundStats(ts.map((t) => t.train.wall_median)),
      sample: roundStats(ts.map((t) => t.sample.wall_median)),
      train_cpu: roundStats(ts.map((t) => t.train.cpu_median)),
      sample_cpu: roundStats(ts.map((t) => t.sample.cpu_median)),
    };
  };
  const of = (side: "ours" | "torch", config: string) => records.filter((r) => r.side === side && r.config === config);
  const oursStats: WanBenchReport["ours"] = {};
  for (const b of ours) {
    const rs = of("ours", b.config);
    const results = rs.map((r) => (r.result as { ours: OursBlock }).ours);
    oursStats[b.config] = {
      ...stats(rs),
      tensors_stable: results.every((r) => r.tensors.stable),
      last_loss: results.at(-1)!.last_loss,
    };
  }
  const torchStats: NonNullable<WanBenchReport["torch"]> = {};
  for (const b of torch) {
    const rs = of("torch", b.config);
    const first = (rs[0].result as { torch: TorchBlock }).torch;
    torchStats[b.config] = { ...stats(rs), version: first.torch, params: first.params };
  }
  const sideBest = (s: Record<string, ConfigStats>, step: "train" | "sample"): SideBest | null => {
    const entries = Object.entries(s);
    if (entries.length === 0) return null;
    const [config, c] = entries.reduce((a, e) => (e[1][step].best < a[1][step].best ? e : a));
    return { config, best: c[step].best, median: c[step].median, spread: c[step].spread };
  };
  const trainStep = sideBest(oursStats, "train")!, sampleStep = sideBest(oursStats, "sample")!;
  const torchTrain = sideBest(torchStats, "train"), torchSample = sideBest(torchStats, "sample");
  const ratio = (a: number, b: number | undefined) => (b ? a / b : null);

  const peaks: Record<string, number> = {};
  for (const r of records) {
    if (!("ours" in r.result) || r.result.ours.sgemm_gflops === null) continue;
    peaks[r.config] = Math.max(peaks[r.config] ?? 0, r.result.ours.sgemm_gflops);
  }
  const hasPeaks = Object.keys(peaks).length > 0;
  const peakFor = (side: "ours" | "torch", config: string): number | null => {
    if (side === "ours") return peaks[config] ?? null;
    const { threads: n, free } = parseTorchConfig(config);
    if (!free) return peaks[String(n)] ?? null;
    const most = Object.keys(peaks).map(Number).sort((a, b) => b - a)[0];
    return most === undefined ? null : peaks[String(most)];
  };
  const gf = (f: number, ms: number | undefined) => (ms ? f / (ms * 1e6) : null);
  const share = (g: number | null, side: "ours" | "torch", best: SideBest | null) => {
    const p = best ? peakFor(side, best.config) : null;
    return g !== null && p ? g / p : null;
  };
  const gflops = {
    train: gf(flops.train, trainStep.best)!,
    sample: gf(flops.forward, sampleStep.best)!,
    torch_train: gf(flops.train, torchTrain?.best),
    torch_sample: gf(flops.forward, torchSample?.best),
  };

  let profile: WanBenchReport["profile"];
  if (options.profile) {
    const step = caseStep(blockOptions(threads[0]));
    const pt = await profileKernels(() => {
      const { value, grads } = step.update();
      return [value, ...Object.values(grads)];
    }, { warmup: 1, runs: 2 });
    const ps = await profileKernels(() => step.forward(), { warmup: 1, runs: 2 });
    step.dispose();
    profile = { train: pt.kernels, sample: ps.kernels, train_table: pt.table(30), sample_table: ps.table(20) };
  }

  return {
    case: kind,
    preset: presetName,
    config: cfg,
    params,
    trainable_params: trainableParams,
    batch,
    latent: [channels, frames, height, width],
    context: [batch, cfg.text_len, cfg.text_dim],
    tokens,
    reference_tokens: referenceTokens,
    backend: engine.backend,
    engine,
    text_cache: textCache,
    rounds,
    runs,
    warmup,
    ours: oursStats,
    torch: useTorch ? torchStats : null,
    ...(torchNote ? { torch_note: torchNote } : {}),
    check,
    blocks: records.map((r) => {
      const t = timing(r.result);
      return {
        round: r.round,
        side: r.side,
        config: r.config,
        start_ms: r.start_ms,
        train_ms: t.train.wall_median,
        sample_ms: t.sample.wall_median,
      };
    }),
    train_step_ms: trainStep.best,
    sample_step_ms: sampleStep.best,
    train_step: trainStep,
    sample_step: sampleStep,
    torch_train_step_ms: torchTrain?.best ?? null,
    torch_sample_step_ms: torchSample?.best ?? null,
    torch_train_step: torchTrain,
    torch_sample_step: torchSample,
    train_ratio: ratio(trainStep.best, torchTrain?.best),
    sample_ratio: ratio(sampleStep.best, torchSample?.best),
    train_ratio_median: ratio(trainStep.median, torchTrain?.median),
    sample_ratio_median: ratio(sampleStep.median, torchSample?.median),
    flops: { train: flops.train, sample: flops.forward },
    gflops,
    sgemm_peak_gflops: hasPeaks ? peaks : null,
    peak_share: {
      train: share(gflops.train, "ours", trainStep),
      sample: share(gflops.sample, "ours", sampleStep),
      torch_train: share(gflops.torch_train, "torch", torchTrain),
      torch_sample: share(gflops.torch_sample, "torch", torchSample),
    },
    tensors_stable: Object.values(oursStats).every((s) => s.tensors_stable),
    commit: await gitCommit(),
    load_average: { start: loadStart, end: Deno.loadavg() },
    ...(profile ? { profile } : {}),
  };
}

/** The checkout's short commit, marked "+dirty" when tracked files differ from it; null without git. */
async function gitCommit(): Promise<string | null> {
  const run = async (args: string[]) => {
    try {
      const r = await new Deno.Command("git", { args, stdout: "piped", stderr: "null" }).output();
      return r.success ? new TextDecoder().decode(r.stdout).trim() : null;
    } catch {
      return null;
    }
  };
  const head = await run(["rev-parse", "--short", "HEAD"]);
  if (head === null) return null;
  const dirty = await run(["status", "--porcelain", "--untracked-files=no"]);
  return dirty ? `${head}+dirty` : head;
}

if (import.meta.main) {
  const { json, ...options } = parseBenchArgs(Deno.args);
  const report = await wanBench({ ...options, onBlock: (line) => console.error(line) });
  if (report.profile) {
    const text = `== train step\n${report.profile.train_table}\n\n== sample step\n${report.profile.sample_table}\n`;
    if (json) console.error(text);
    else console.log(text);
  }
  if (json) {
    const { profile, ...rest } = report;
    console.log(
      JSON.stringify(profile ? { ...rest, profile: { train: profile.train, sample: profile.sample } } : rest, null, 2),
    );
  } else console.log(benchSummary(report));
}
