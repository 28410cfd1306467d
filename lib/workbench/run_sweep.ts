/**
 * Runs a sweep: each resolved run in its own folder, finished runs skipped,
 * interrupted ones resumed (the executor resumes from checkpoints), failures
 * recorded and the rest carried on, then a summary Parquet of all runs.
 *
 * References: DiT's `results/{idx}-{model}` run folders; hydra multirun.
 */
import type { ResolvedRun } from "./experiment.ts";
import { openRunFolder, readJson, type RunEnvironment, type RunStatus, writeJson } from "./run_folder.ts";
import { writeSummary } from "./write_summary.ts";

/** What an executor returns for one run. */
export interface RunOutcome {
  interrupted: boolean;
  /** Final metrics and facts of the run (one row of the summary). */
  metrics: Record<string, number | string | boolean | null>;
}

/** What an executor gets besides the run. */
export interface RunContext {
  dir: string;
  experiment: string;
  env: RunEnvironment;
  /** "run 1/4 <id>" */
  label: string;
  shouldStop: () => boolean;
}

/** Executes one run (the pipeline), resuming from whatever its folder holds. */
export type RunExecutor = (run: ResolvedRun, ctx: RunContext) => Promise<RunOutcome>;

/** Options of {@link runSweep}. */
export interface SweepOptions {
  /** results/<experiment> */
  dir: string;
  execute: RunExecutor;
  env: RunEnvironment;
  /** Only these run indices (default all). */
  only?: readonly number[];
  shouldStop?: () => boolean;
  log?: (line: string) => void;
}

/** The outcome of a sweep. */
export interface SweepResult {
  states: { id: string; state: RunStatus["state"] | "skipped"; error?: string }[];
  interrupted: boolean;
  summaryPath: string | null;
}

/**
 * @param experiment the experiment's name
 * @param runs the resolved runs (from `resolveRuns`)
 * @param options folder, executor, environment
 * @returns per-run states and the summary path
 */
export async function runSweep(
  experiment: string,
  runs: readonly ResolvedRun[],
  options: SweepOptions,
): Promise<SweepResult> {
  const log = options.log ?? ((l) => console.error(l));
  const shouldStop = options.shouldStop ?? (() => false);
  const selected = options.only ? runs.filter((r) => options.only!.includes(r.index)) : runs;
  const states: SweepResult["states"] = [];
  let interrupted = false;
  for (const [i, run] of selected.entries()) {
    const dir = `${options.dir}/${run.id}`;
    const label = `run ${i + 1}/${selected.length} ${run.id}`;
    const prev = await openRunFolder(dir, experiment, run, options.env);
    if (prev?.state === "done") {
      log(`${label}: done already, skipped`);
      states.push({ id: run.id, state: "skipped" });
      continue;
    }
    log(`${label}: ${prev ? `resuming (${prev.state})` : "starting"} on ${options.env.backend}`);
    const started = performance.now();
    const status: RunStatus = { state: "running", started_at: prev?.started_at ?? new Date().toISOString() };
    const wallBefore = prev?.wall_s ?? 0;
    await writeJson(`${dir}/status.json`, status);
    try {
      const outcome = await options.execute(run, { dir, experiment, env: options.env, label, shouldStop });
      const wall_s = wallBefore + (performance.now() - started) / 1000;
      if (outcome.interrupted) {
        await writeJson(`${dir}/status.json`, { ...status, state: "interrupted", ended_at: new Date().toISOString(), wall_s });
        states.push({ id: run.id, state: "interrupted" });
        interrupted = true;
        log(`${label}: interrupted; re-run the same command to resume`);
        break;
      }
      await writeJson(`${dir}/result.json`, { ...outcome.metrics, wall_s });
      await writeJson(`${dir}/status.json`, { ...status, state: "done", ended_at: new Date().toISOString(), wall_s });
      states.push({ id: run.id, state: "done" });
      log(`${label}: done in ${wall_s.toFixed(1)} s`);
    } catch (e) {
      const error = (e as Error).stack ?? String(e);
      const wall_s = wallBefore + (performance.now() - started) / 1000;
      await writeJson(`${dir}/status.json`, { ...status, state: "failed", ended_at: new Date().toISOString(), error, wall_s });
      states.push({ id: run.id, state: "failed", error: (e as Error).message });
      log(`${label}: FAILED: ${(e as Error).message}`);
    }
    if (shouldStop()) {
      interrupted = true;
      break;
    }
  }
  let summaryPath: string | null = null;
  if (!interrupted) summaryPath = await writeSummary(options.dir, runs);
  return { states, interrupted, summaryPath };
}

/**
 * Reads each run folder's state (for `--status`).
 * @param dir results/<experiment>
 * @param runs the resolved runs
 * @returns id and state ("pending" when the folder has none)
 */
export async function sweepStatus(
  dir: string,
  runs: readonly ResolvedRun[],
): Promise<{ id: string; state: string; error?: string }[]> {
  const out = [];
  for (const run of runs) {
    const st = await readJson<RunStatus>(`${dir}/${run.id}/status.json`);
    out.push({ id: run.id, state: st?.state ?? "pending", error: st?.error?.split("\n")[0] });
  }
  return out;
}
