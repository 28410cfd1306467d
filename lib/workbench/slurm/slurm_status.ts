/**
 * `deno task ablate <experiment> --status` for a sweep submitted to Slurm:
 * each run's state from its folder and from Slurm (squeue, and sacct when
 * accounting is enabled), its task, log file and last error line. When every
 * run is done and no job is left, the summary Parquet is (re)written, so a
 * sweep whose follow-up job never ran still gets one.
 */
import type { ResolvedRun } from "../experiment.ts";
import { readJson, type RunStatus } from "../run_folder.ts";
import { describeRunLock, inspectRunLock } from "../run_lock.ts";
import { writeSummary } from "../write_summary.ts";
import { type JobState, LIVE_STATES, queryJobStates } from "./_job_states.ts";
import { readJobsFile, type SlurmAttempt, slurmDir, sweepJobIds } from "./_jobs_file.ts";
import { absolutePath } from "./_paths.ts";

/** One run's state in a Slurm sweep. */
export interface SlurmRunStatus {
  index: number;
  id: string;
  /** done | pending | running | failed | interrupted | cancelled | not submitted */
  state: "done" | "pending" | "running" | "failed" | "interrupted" | "cancelled" | "not submitted";
  /** The latest array task of the run, e.g. "12_3". */
  job?: string;
  /** Slurm's state of that task (and reason), when Slurm still knows it. */
  slurm?: string;
  /** 0 for the first submission, 1… for retries. */
  attempt?: number;
  log?: string;
  /** The first line of the recorded error, or the log's last line when the task died without recording one. */
  error?: string;
  /** Who holds the run's lock (a Slurm task, or a local sweep on the same results), or the stale lock left. */
  lock?: string;
}

/** A Slurm sweep's state. */
export interface SlurmSweepStatus {
  runs: SlurmRunStatus[];
  /** Every job of the current submission with Slurm's state ("?" when Slurm no longer knows it). */
  jobs: { id: string; kind: "array" | "follow-up"; attempt: number; state: string }[];
  submittedAt: string | null;
  finishedAt: string | null;
  cancelledAt: string | null;
  /** Whether sacct answered. */
  accounting: boolean;
  /** Why Slurm could not be asked (the run folders are still reported), else null. */
  slurmError: string | null;
  summaryPath: string | null;
}

async function lastLine(path: string): Promise<string | undefined> {
  try {
    const text = await Deno.readTextFile(path);
    return text.split("\n").map((l) => l.trim()).filter(Boolean).at(-1);
  } catch {
    return undefined;
  }
}

function describe(s: JobState | undefined): string | undefined {
  return s ? `${s.state}${s.reason ? ` (${s.reason})` : ""}` : undefined;
}

/**
 * @param experiment the experiment's name
 * @param runs all resolved runs of the sweep
 * @param options results root, environment additions for Slurm
 * @returns per-run states, the jobs and the summary path
 * @example
 * ```ts ignore
 * const st = await slurmStatus("smoke", runs, { results: "results" });
 * for (const r of st.runs) console.log(r.state, r.id, r.log ?? "");
 * ```
 */
export async function slurmStatus(
  experiment: string,
  runs: readonly ResolvedRun[],
  options: { results?: string; env?: Record<string, string> } = {},
): Promise<SlurmSweepStatus> {
  const dir = `${absolutePath(options.results ?? "results")}/${experiment}`;
  const file = await readJobsFile(dir);
  const sweep = file?.sweeps.at(-1);
  const ids = sweep ? sweepJobIds(sweep) : [];
  let q: Awaited<ReturnType<typeof queryJobStates>>;
  try {
    q = await queryJobStates(ids, options.env);
  } catch (e) {
    q = { states: new Map(), accounting: false, error: (e as Error).message };
  }
  const latest = new Map<number, SlurmAttempt>();
  for (const a of sweep?.attempts ?? []) for (const i of a.indices) latest.set(i, a);

  const out: SlurmRunStatus[] = [];
  for (const run of runs) {
    const st = await readJson<RunStatus>(`${dir}/${run.id}/status.json`);
    const a = latest.get(run.index);
    const row: SlurmRunStatus = { index: run.index, id: run.id, state: "not submitted" };
    if (a) {
      row.job = `${a.array_job}_${run.index}`;
      row.attempt = a.attempt;
      row.log = `${slurmDir(dir)}/slurm-${row.job}.out`;
      row.slurm = describe(q.states.get(row.job));
    }
    const live = a ? q.states.get(row.job!)?.state : undefined;
    if (st?.state === "done") row.state = "done";
    else if (live === "RUNNING" || live === "COMPLETING") row.state = "running";
    else if (live && LIVE_STATES.includes(live)) row.state = "pending";
    else if (!a) row.state = st ? (st.state === "running" ? "interrupted" : st.state) as SlurmRunStatus["state"] : "not submitted";
    else if (sweep?.cancelled_at || live === "CANCELLED") row.state = "cancelled";
    else if (st?.state === "interrupted") row.state = "interrupted";
    else row.state = "failed";
    const lock = inspectRunLock(`${dir}/${run.id}`);
    if (lock) row.lock = describeRunLock(lock);
    // Held by a live process outside this submission's tasks (a local sweep on the same results folder).
    if (lock && !lock.stale && row.state !== "done" && row.state !== "pending") row.state = "running";
    if (row.state !== "done" && row.state !== "pending" && row.state !== "running") {
      row.error = st?.error?.split("\n")[0];
      if (!row.error && st?.state === "running" && a) {
        row.error = row.state === "cancelled"
          ? "cancelled while running; submitting again resumes it from its last checkpoint"
          : "the task ended without recording an outcome (killed at the time limit, out of memory, node failure?)";
      }
      if (!row.error && row.log) {
        const l = await lastLine(row.log);
        if (l) row.error = l;
      }
    }
    out.push(row);
  }

  const jobs = (sweep?.attempts ?? []).flatMap((a) => [
    { id: a.array_job, kind: "array" as const, attempt: a.attempt, state: arrayState(a, q.states) },
    { id: a.follow_up_job, kind: "follow-up" as const, attempt: a.attempt, state: describe(q.states.get(a.follow_up_job)) ?? "?" },
  ]);
  const anyLive = [...q.states.values()].some((s) => LIVE_STATES.includes(s.state));
  let summaryPath: string | null = null;
  if (out.every((r) => r.state === "done") && !anyLive) summaryPath = await writeSummary(dir, runs);
  else if (sweep?.summary) summaryPath = sweep.summary;
  return {
    runs: out,
    jobs,
    submittedAt: sweep?.submitted_at ?? null,
    finishedAt: sweep?.finished_at ?? null,
    cancelledAt: sweep?.cancelled_at ?? null,
    accounting: q.accounting,
    slurmError: q.error,
    summaryPath,
  };
}

function arrayState(a: SlurmAttempt, states: Map<string, JobState>): string {
  const counts = new Map<string, number>();
  for (const i of a.indices) {
    const s = states.get(`${a.array_job}_${i}`)?.state ?? "?";
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
}
