/**
 * Runs a sweep: each resolved run in its own folder, finished runs skipped,
 * interrupted ones resumed (the executor resumes from checkpoints), failures
 * recorded and the rest carried on, then a summary Parquet of all runs.
 *
 * Each run is locked (run_lock.ts) while it runs: a run another process holds
 * is skipped and never written to, and reported at the end; a lock whose
 * process is gone is taken over with a note. The summary is written by the
 * last process to finish (one that leaves runs to another does not write it).
 *
 * References: DiT's `results/{idx}-{model}` run folders; hydra multirun.
 */
import type { ResolvedRun } from "./experiment.ts";
import { openRunFolder, readJson, type RunEnvironment, type RunStatus, sameRunConfig, writeJson } from "./run_folder.ts";
import { acquireRunLock, describeRunLock, inspectRunLock, type RunLockOptions } from "./run_lock.ts";
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
  /** Lease timing of the run locks (default: run_lock.ts's). */
  lock?: RunLockOptions;
}

/** The outcome of a sweep. */
export interface SweepResult {
  /** "locked": another process held the run (error says which), or took it over while it ran. */
  states: { id: string; state: RunStatus["state"] | "skipped" | "locked"; error?: string }[];
  interrupted: boolean;
  summaryPath: string | null;
  /** Runs another process still held when the sweep ended: id and who holds it. */
  heldElsewhere: { id: string; holder: string }[];
}

/** Thrown into a run from `shouldStop` when another process took its lock over: the run writes nothing more. */
export class RunLockLostError extends Error {
  constructor(readonly dir: string, reason: string) {
    super(`Lost the lock of ${dir} (${reason}): stopped without writing to it again`);
    this.name = "RunLockLostError";
  }
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
    await Deno.mkdir(dir, { recursive: true });
    const got = acquireRunLock(dir, options.lock);
    if (!got.lock) {
      if ((await readJson<RunStatus>(`${dir}/status.json`))?.state === "done") {
        log(`${label}: done already, skipped`);
        states.push({ id: run.id, state: "skipped" });
        continue;
      }
      const holder = describeRunLock(got.holder);
      log(`${label}: skipped: held by ${holder}`);
      states.push({ id: run.id, state: "locked", error: `held by ${holder}` });
      continue;
    }
    const lock = got.lock;
    if (got.tookOver) log(`${label}: note: took over a ${describeRunLock(got.tookOver)}`);
    try {
      const stop = await runOne(experiment, run, { ...options, dir, label, log, shouldStop }, () => {
        if (lock.lost) throw new RunLockLostError(dir, lock.lost);
      });
      states.push(stop.state);
      if (stop.interrupted) interrupted = true;
    } finally {
      lock.release();
    }
    if (interrupted || shouldStop()) {
      interrupted = true;
      break;
    }
  }
  // Runs left to another process: still held now, or finished by it meanwhile.
  const heldElsewhere: SweepResult["heldElsewhere"] = [];
  for (const s of states.filter((s) => s.state === "locked")) {
    const view = inspectRunLock(`${options.dir}/${s.id}`);
    if (view && !view.stale) heldElsewhere.push({ id: s.id, holder: describeRunLock(view) });
  }
  if (heldElsewhere.length) {
    log(`${heldElsewhere.length} run(s) still held by another process, which finishes them and writes the summary:`);
    for (const h of heldElsewhere) log(`  ${h.id}: ${h.holder}`);
  }
  let summaryPath: string | null = null;
  if (!interrupted && heldElsewhere.length === 0) summaryPath = await writeSummary(options.dir, runs);
  return { states, interrupted, summaryPath, heldElsewhere };
}

/** Runs one locked run; `guard` throws once the lock is lost. */
async function runOne(
  experiment: string,
  run: ResolvedRun,
  o: SweepOptions & { label: string; log: (line: string) => void; shouldStop: () => boolean },
  guard: () => void,
): Promise<{ state: SweepResult["states"][number]; interrupted: boolean }> {
  const { dir, label, log } = o;
  const prev = await openRunFolder(dir, experiment, run, o.env);
  if (prev?.state === "done") {
    log(`${label}: done already, skipped`);
    return { state: { id: run.id, state: "skipped" }, interrupted: false };
  }
  log(`${label}: ${prev ? `resuming (${prev.state})` : "starting"} on ${o.env.backend}`);
  const started = performance.now();
  const status: RunStatus = { state: "running", started_at: prev?.started_at ?? new Date().toISOString() };
  const wallBefore = prev?.wall_s ?? 0;
  const wall = () => wallBefore + (performance.now() - started) / 1000;
  await writeJson(`${dir}/status.json`, status);
  // Asked after every training step: the place to stop writing once another process holds the run.
  const shouldStop = () => (guard(), o.shouldStop());
  try {
    const outcome = await o.execute(run, { dir, experiment, env: o.env, label, shouldStop });
    guard();
    const wall_s = wall();
    if (outcome.interrupted) {
      await writeJson(`${dir}/status.json`, { ...status, state: "interrupted", ended_at: new Date().toISOString(), wall_s });
      log(`${label}: interrupted; re-run the same command to resume`);
      return { state: { id: run.id, state: "interrupted" }, interrupted: true };
    }
    await writeJson(`${dir}/result.json`, { ...outcome.metrics, wall_s });
    await writeJson(`${dir}/status.json`, { ...status, state: "done", ended_at: new Date().toISOString(), wall_s });
    log(`${label}: done in ${wall_s.toFixed(1)} s`);
    return { state: { id: run.id, state: "done" }, interrupted: false };
  } catch (e) {
    const lost = e instanceof RunLockLostError ? e : lockLost(dir, guard);
    if (lost) {
      log(`${label}: ${lost.message}`);
      return { state: { id: run.id, state: "locked", error: lost.message }, interrupted: false };
    }
    const error = (e as Error).stack ?? String(e);
    log(`${label}: FAILED: ${(e as Error).message}`);
    try {
      await writeJson(`${dir}/status.json`, { ...status, state: "failed", ended_at: new Date().toISOString(), error, wall_s: wall() });
    } catch (w) {
      // A full disk fails this write too: the run's error above is the one to act on.
      log(`${label}: could not record the failure: ${(w as Error).message}`);
    }
    return { state: { id: run.id, state: "failed", error: (e as Error).message }, interrupted: false };
  }
}

function lockLost(dir: string, guard: () => void): RunLockLostError | null {
  try {
    guard();
    return null;
  } catch (e) {
    if (e instanceof RunLockLostError) return e;
    throw new Error(`Cannot check the lock of ${dir}: ${(e as Error).message}`);
  }
}

/** One run's state for `--status`. */
export interface RunStatusLine {
  id: string;
  /**
   * status.json's state ("pending" without one); "running" only while a live process holds the run's lock;
   * "other-config" when the folder holds a config this run's is not (runSweep refuses such a folder).
   */
  state: string;
  error?: string;
  /** Who holds the run's lock (or left a stale one), from run_lock.ts's describeRunLock. */
  lock?: string;
}

/**
 * Reads each run folder's state and lock (for `--status`). A run recorded as
 * running whose lock is gone or stale was killed: it shows as interrupted. A
 * folder whose recorded config is not the run's (the experiment changed since
 * it ran) shows as "other-config" with its recorded state, whatever that is:
 * its results are not this run's, and runSweep refuses to resume or skip it.
 * @param dir results/<experiment>
 * @param runs the resolved runs
 * @returns id, state ("pending" when the folder has none), first error line, lock holder
 */
export async function sweepStatus(dir: string, runs: readonly ResolvedRun[]): Promise<RunStatusLine[]> {
  const out: RunStatusLine[] = [];
  for (const run of runs) {
    const st = await readJson<RunStatus>(`${dir}/${run.id}/status.json`);
    const lock = inspectRunLock(`${dir}/${run.id}`);
    let state: string = st?.state ?? "pending";
    if (state === "running" && (!lock || lock.stale)) state = "interrupted";
    if (lock && !lock.stale && state !== "done") state = "running";
    const other = await otherConfig(`${dir}/${run.id}`, run);
    out.push({
      id: run.id,
      state: other ? "other-config" : state,
      error: other ? `${other} (recorded state: ${state})` : st?.error?.split("\n")[0],
      ...(lock ? { lock: describeRunLock(lock) } : {}),
    });
  }
  return out;
}

/** Why the folder's recorded config is not the run's (as openRunFolder would refuse it), or null when it is or none is recorded. */
async function otherConfig(dir: string, run: ResolvedRun): Promise<string | null> {
  const recorded = await readJson<{ config: unknown }>(`${dir}/config.json`);
  if (!recorded) return null;
  try {
    if (sameRunConfig(recorded.config, run.config)) return null;
  } catch (e) {
    return `holds a config that cannot be read: ${(e as Error).message}`;
  }
  return "holds a different config: the experiment changed since it ran; move the folder (or rename the experiment) to run this one";
}
