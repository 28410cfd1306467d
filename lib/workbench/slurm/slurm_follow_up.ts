/**
 * The follow-up job of a Slurm sweep (`ablate_cli <experiment>
 * --slurm-follow-up`), run by Slurm once a job array has ended
 * (`--dependency=afterany`): the runs of that array that are not done (failed,
 * killed at the time limit, out of memory, interrupted) are submitted again
 * as a new array with its own follow-up while retries remain (except runs
 * another process holds: they are left to it); otherwise the sweep's summary
 * Parquet is written and the sweep marked finished.
 *
 * References: sbatch(1) --dependency=afterany; run_sweep.ts (a re-run resumes from checkpoints).
 */
import type { ResolvedRun } from "../experiment.ts";
import { readJson, type RunStatus } from "../run_folder.ts";
import { describeRunLock, inspectRunLock } from "../run_lock.ts";
import { writeSummary } from "../write_summary.ts";
import { readJobsFile, storedOptions, writeJobsFile } from "./_jobs_file.ts";
import { absolutePath } from "./_paths.ts";
import { submitAttempt } from "./_submit_attempt.ts";

/** What the follow-up did. */
export type FollowUpResult =
  | { action: "retried"; attempt: number; indices: number[]; arrayJob: string }
  | { action: "finished"; failed: number[]; summaryPath: string | null }
  | { action: "cancelled" };

/**
 * @param experiment the experiment's name
 * @param runs all resolved runs of the sweep
 * @param options results root, environment additions for Slurm, log
 * @returns whether runs were re-submitted or the sweep finished
 * @example
 * ```ts ignore
 * // Inside the follow-up job (ablate_cli does this for --slurm-follow-up):
 * const r = await slurmFollowUp("smoke", runs, { results: "/shared/results" });
 * ```
 */
export async function slurmFollowUp(
  experiment: string,
  runs: readonly ResolvedRun[],
  options: { results?: string; env?: Record<string, string>; log?: (line: string) => void } = {},
): Promise<FollowUpResult> {
  const log = options.log ?? ((l) => console.error(l));
  const dir = `${absolutePath(options.results ?? "results")}/${experiment}`;
  const file = await readJobsFile(dir);
  const sweep = file?.sweeps.at(-1);
  if (!file || !sweep) throw new Error(`Cannot follow up ${dir} as it holds no slurm/jobs.json: it was never submitted to Slurm`);
  if (sweep.cancelled_at) {
    log(`${experiment}: sweep cancelled at ${sweep.cancelled_at}; nothing to do`);
    return { action: "cancelled" };
  }
  const last = sweep.attempts.at(-1)!;
  const byIndex = new Map(runs.map((r) => [r.index, r]));
  const notDone: ResolvedRun[] = [];
  for (const i of last.indices) {
    const run = byIndex.get(i);
    if (!run) throw new RangeError(`Cannot follow up run index ${i} of "${experiment}": the experiment has ${runs.length} runs now`);
    const st = await readJson<RunStatus>(`${dir}/${run.id}/status.json`);
    if (st?.state !== "done") notDone.push(run);
  }
  // A run another process holds (a local sweep on the same results) is its to finish: not retried here.
  const retry = notDone.filter((run) => {
    const lock = inspectRunLock(`${dir}/${run.id}`);
    if (lock && !lock.stale) log(`${experiment}: ${run.id} is held by ${describeRunLock(lock)}; left to it`);
    return !lock || lock.stale;
  });
  const options_ = storedOptions(sweep);
  if (retry.length && last.attempt < options_.retries) {
    const attempt = await submitAttempt(
      { experiment, results: sweep.results, cwd: sweep.cwd, entry: sweep.entry, options: options_, env: options.env },
      retry,
      last.attempt + 1,
    );
    sweep.attempts.push(attempt);
    await writeJobsFile(dir, file);
    log(
      `${experiment}: ${retry.length} run(s) did not finish (${retry.map((r) => r.id).join(", ")}); ` +
        `retry ${attempt.attempt}/${options_.retries} as job array ${attempt.array_job}, follow-up ${attempt.follow_up_job}`,
    );
    return { action: "retried", attempt: attempt.attempt, indices: attempt.indices, arrayJob: attempt.array_job };
  }
  const summaryPath = await writeSummary(dir, runs);
  sweep.finished_at = new Date().toISOString();
  sweep.summary = summaryPath;
  await writeJobsFile(dir, file);
  if (retry.length) {
    log(`${experiment}: ${retry.length} run(s) failed after ${last.attempt} retr${last.attempt === 1 ? "y" : "ies"}: ${retry.map((r) => r.id).join(", ")}`);
  }
  log(`${experiment}: sweep finished; summary: ${summaryPath ?? "(no run finished)"}`);
  return { action: "finished", failed: retry.map((r) => r.index), summaryPath };
}
