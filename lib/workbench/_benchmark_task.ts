/**
 * The `benchmark` task: no training. It finds the finished fine-tuning of the
 * source experiment (`benchmark.source`, a folder next to this run's
 * experiment under the same results root) with this run's `model.design` and
 * `seed`, loads its fine-tuned design (`dit/design.safetensors` +
 * `design.json`), the foundation VAE and text encoder that run used, samples
 * the first `benchmark.clips` evaluation clips of this run's data source
 * (realisdance-val-syn, or a folder's held-out split) at this run's size
 * with this run's sampler, guidance, shift and seed (the same noise stream as
 * the animate task: its first clips get the same noise), writes the samples
 * as the animate task does, and computes every column of both paper tables
 * with the code `deno task evaluate` runs (paperColumns on the saved
 * samples), writing eval.json / eval_info.json like it.
 *
 * A source run that ended as the paper's "out of memory" row gives an
 * `oom` row here too (no weights, no columns).
 *
 * References: RealisDance-DiT (2025) tables (VBench-I2V columns, FVD, FID;
 * SSIM/PSNR/LPIPS/FVD/FID); lib/eval/cli/evaluate_cli.ts; lib/eval/syn.
 */
import * as tf from "@tensorflow/tfjs-core";
import { designModelFn } from "../model/designs/mod.ts";
import { TextKVCache } from "../model/text_kv_cache.ts";
import { loadVae } from "../vae/mod.ts";
import { loadSynNetworks, type SynNetworks } from "../eval/syn/load_syn_networks.ts";
import { PAPER_COLUMNS } from "../eval/syn/paper_columns.ts";
import { evaluateRun } from "../eval/cli/evaluate_cli.ts";
import type { ResolvedRun } from "./experiment.ts";
import type { AnimateRunConfig, BenchmarkRunConfig } from "./run_config.ts";
import { designLabel, type ModelDesign } from "./model_design.ts";
import { migrateRunConfig } from "./migrate_run_config.ts";
import { canonicalJson } from "./_canonical_json.ts";
import { readJson, type RunStatus } from "./run_folder.ts";
import type { RunContext, RunOutcome } from "./run_sweep.ts";
import { openRunData, type RunData } from "./_run_data.ts";
import { videosToTensor } from "./_pipeline_data.ts";
import { textSide } from "./_text_side.ts";
import { designConditions } from "./_design_conditions.ts";
import { loadDesignCheckpoint } from "./_design_checkpoint.ts";
import { sampleAndScore } from "./_sample_and_score.ts";

/** The source experiment has no finished run to benchmark (thrown before any work). */
export class MissingSourceRunError extends Error {
  override name = "MissingSourceRunError";
}

/** A finished run of the source experiment. */
export interface SourceRun {
  /** Its folder name, e.g. "3-design=part-finetune-seed=0". */
  id: string;
  dir: string;
  config: AnimateRunConfig;
  result: Record<string, unknown>;
}

/**
 * @param run the resolved benchmark run (task "benchmark")
 * @param ctx its folder (`<results root>/<experiment>/<run id>`), label and stop flag
 * @returns the paper's columns (names exactly as `deno task evaluate` writes them), sample_s, eval_s, source_run
 * @example
 * ```ts ignore
 * // deno task ablate benchmark  (after deno task ablate model_design)
 * const out = await benchmarkTask(run, ctx);
 * out.metrics["FID-syn"];
 * ```
 */
export async function benchmarkTask(run: ResolvedRun, ctx: RunContext): Promise<RunOutcome> {
  const cfg = run.config;
  if (cfg.task !== "benchmark" || cfg.benchmark.source === null) {
    throw new RangeError(
      `Cannot run a benchmark for task ${JSON.stringify(cfg.task)} with benchmark.source ${JSON.stringify(cfg.task === "benchmark" ? cfg.benchmark.source : null)}`,
    );
  }
  const src = await findSourceRun(`${resultsRoot(ctx.dir)}/${cfg.benchmark.source}`, {
    source: cfg.benchmark.source,
    design: cfg.model.design,
    seed: cfg.seed,
  });
  const base = { design: designLabel(cfg.model.design), source_run: src.id };
  if (src.result.oom === true) {
    // The paper's "out of memory" row: the design never trained, so there is nothing to sample.
    return {
      interrupted: false,
      metrics: { ...base, oom: true, oom_reason: String(src.result.oom_reason ?? ""), peak_bytes: num(src.result.peak_bytes) },
    };
  }
  const t0 = performance.now();
  // The clips' source, then the -syn networks, so a folder the model cannot take or a missing file stops the run before it samples.
  const data = await openRunData(cfg.data.source, {
    set: "finetune",
    size: { frames: cfg.data.frames, height: cfg.data.height, width: cfg.data.width },
    counts: { eval: cfg.benchmark.clips },
    model: src.config,
  });
  const nets = await loadSynNetworks();
  try {
    return await sampleAndEvaluate(cfg, ctx, { src, data, nets, t0, base });
  } finally {
    nets.dispose();
  }
}

/** Loads the source run's weights, samples, then scores the saved samples. */
async function sampleAndEvaluate(
  cfg: BenchmarkRunConfig,
  ctx: RunContext,
  o: { src: SourceRun; data: RunData; nets: SynNetworks; t0: number; base: Record<string, string> },
): Promise<RunOutcome> {
  const { src, t0 } = o;
  const s = src.config;
  if (!s.vae.checkpoint || !s.model.checkpoint) {
    throw new TypeError(`Cannot benchmark ${src.dir}: its config names no foundation (vae.checkpoint ${s.vae.checkpoint}, model.checkpoint ${s.model.checkpoint})`);
  }
  // Ctrl-C is honoured between the stages (nothing is checkpointed: a resumed run starts again).
  if (ctx.shouldStop()) return { interrupted: true, metrics: {} };
  const vae = await loadVae(s.vae.checkpoint);
  if (!vae.stats) throw new TypeError(`Cannot use the VAE in ${s.vae.checkpoint}: it has no latent statistics`);
  const ck = await loadDesignCheckpoint(`${src.dir}/dit`);
  const text = await textSide({ dit: ck.cfg, preset: s.model.preset, checkpoint: s.model.checkpoint, captions: [], seed: cfg.seed });
  // The sampler calls the model once per step on one context: the text side's K/V are computed once.
  const textCache = new TextKVCache();
  const model = designModelFn(ck.design, ck, { textCache });
  // The design's own pose conditions (the checkpoint's); the paper columns replace the quick eval metrics (none here).
  const scfg: BenchmarkRunConfig = { ...cfg, model: { design: { ...cfg.model.design, poses: [...ck.design.poses] } as ModelDesign } };
  const clips = await o.data.clips("eval", cfg.benchmark.clips);
  const video = videosToTensor(clips);
  const dc = designConditions(scfg, { vae, text });
  const ev = dc.encodeConditions(clips);
  const [, c, , h, w] = ev.reference.shape as number[]; // (N, C, 1, H', W')
  const f = (ev.pose.shape as number[])[2]; // (N, k·C, F', H', W')
  const sampled = await sampleAndScore(scfg, ctx.dir, {
    model,
    clips,
    video,
    latentShape: [c, f, h, w], // one clip's latent (C, F', H', W')
    cond: { context: ev.context, reference: ev.reference, pose: ev.pose },
    sampler: dc.sampler,
    guide: dc.guide(clips.length),
    vae,
  });
  dc.dispose();
  textCache.dispose();
  tf.dispose([video, ...Object.values(ev), ...Object.values(ck.params), ...Object.values(text.params), ...Object.values(vae.params)]);
  const load_s = (performance.now() - t0) / 1000 - sampled.sample_s;
  if (ctx.shouldStop()) return { interrupted: true, metrics: {} };

  const t1 = performance.now();
  const all = await evaluateRun(ctx.dir, o.nets);
  const columns = Object.fromEntries(PAPER_COLUMNS.map((c) => [c, all[c] ?? null]));
  const eval_s = (performance.now() - t1) / 1000;
  return {
    interrupted: false,
    metrics: { ...o.base, clips: clips.length, ...columns, sample_s: sampled.sample_s, load_s, eval_s },
  };
}

/**
 * The finished run of the source experiment's folder whose recorded config
 * has task "animate" and the wanted design and seed.
 * @param dir `<results root>/<source>`
 * @param want the source's name (for messages), design and seed
 * @returns the run's id, folder, config (completed with today's defaults) and result.json
 * @throws MissingSourceRunError when the folder is missing or no matching run has finished
 */
export async function findSourceRun(
  dir: string,
  want: { source: string; design: ModelDesign; seed: number },
): Promise<SourceRun> {
  const what = `model.design=${designLabel(want.design)} and seed=${want.seed}`;
  const hint = `run \`deno task ablate ${want.source}\` first (with the same --results root)`;
  const entries: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) if (e.isDirectory) entries.push(e.name);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new MissingSourceRunError(`Cannot benchmark ${what}: the source experiment's folder ${dir} does not exist; ${hint}`);
  }
  const seen: string[] = [];
  const matches: { id: string; state: string; config: AnimateRunConfig }[] = [];
  for (const id of entries.sort((a, b) => a.localeCompare(b, "en", { numeric: true }))) {
    const rec = await readJson<{ config?: unknown }>(`${dir}/${id}/config.json`);
    if (!rec?.config) continue;
    const c = migrateRunConfig(rec.config);
    seen.push(`${id} (${c.task}${c.task === "animate" ? `, ${designLabel(c.model.design)}` : ""}, seed ${c.seed})`);
    if (c.task !== "animate" || canonicalJson(c.model.design) !== canonicalJson(want.design) || c.seed !== want.seed) continue;
    const st = await readJson<RunStatus>(`${dir}/${id}/status.json`);
    matches.push({ id, state: st?.state ?? "pending", config: c });
  }
  const done = matches.filter((m) => m.state === "done");
  if (done.length > 1) {
    throw new RangeError(`Cannot benchmark ${what}: ${done.length} finished runs of "${want.source}" match (${done.map((m) => m.id).join(", ")}); expected one`);
  }
  if (done.length === 0) {
    throw new MissingSourceRunError(
      matches.length
        ? `Cannot benchmark ${what}: the matching run of "${want.source}" has not finished (${matches.map((m) => `${dir}/${m.id}: ${m.state}`).join("; ")}); ${hint}`
        : `Cannot benchmark: no run of "${want.source}" in ${dir} has ${what} (found ${seen.length ? seen.join(", ") : "no run folders"}); ${hint}`,
    );
  }
  const result = (await readJson<Record<string, unknown>>(`${dir}/${done[0].id}/result.json`)) ?? {};
  return { id: done[0].id, dir: `${dir}/${done[0].id}`, config: done[0].config, result };
}

/** `<root>/<experiment>/<run>` → `<root>`. */
function resultsRoot(runDir: string): string {
  const parts = runDir.replace(/\/+$/, "").split("/");
  const root = parts.slice(0, -2).join("/");
  return root === "" ? (runDir.startsWith("/") ? "/" : ".") : root;
}

function num(v: unknown): number | null {
  return typeof v === "number" ? v : null;
}

