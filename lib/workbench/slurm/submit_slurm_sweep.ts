/**
 * The Slurm executor of `deno task ablate <experiment> --executor slurm`:
 * submits the runs that are not done as ONE job array (array index = run
 * index) whose tasks each run the same single-run entry point as the local
 * executor (`ablate_cli.ts <experiment> --index $SLURM_ARRAY_TASK_ID`), plus a
 * follow-up job (`--dependency=afterany:<array>`) that re-submits failed runs
 * while retries remain and then writes the summary Parquet.
 *
 * Everything is checked before anything is written or submitted: the options,
 * the run folders' configs, that sbatch exists and a controller answers, the
 * partition, and the whole job (`sbatch --test-only`). Runs whose lock a live
 * process holds (a local sweep on the same results) are not submitted; each
 * array task takes the run's lock itself too (runSweep), so a run that gets
 * locked after submission is skipped by its task.
 *
 * References: sbatch(1) --array, --dependency, --test-only; the sweep layout of run_sweep.ts.
 */
import type { ResolvedRun } from "../experiment.ts";
import { readJson, type RunStatus } from "../run_folder.ts";
import { describeRunLock, inspectRunLock } from "../run_lock.ts";
import { writeSummary } from "../write_summary.ts";
import { checkSlurmOptions, type SlurmOptions } from "./check_slurm_options.ts";
import { LIVE_STATES, queryJobStates } from "./_job_states.ts";
import { readJobsFile, type SlurmAttempt, slurmDir, sweepJobIds, writeJobsFile } from "./_jobs_file.ts";
import { absolutePath } from "./_paths.ts";
import { checkController, slurmCommand } from "./_slurm_command.ts";
import { arrayScript, submitAttempt, type SweepTarget } from "./_submit_attempt.ts";

/** Options of {@link submitSlurmSweep}. */
export interface SlurmSubmitOptions extends SlurmOptions {
  /** Results root (`--results`, default "results"); the sweep folder is `<results>/<experiment>`. */
  results?: string;
  /** Flags forwarded to every run (e.g. ["--backend", "cpu"]), as the local executor got them. */
  forward?: string[];
  /**
   * The single-run entry point's command prefix; default
   * `[Deno.execPath(), "run", "-A", "<checkout>/lib/workbench/ablate_cli.ts", experiment]`.
   * Tests put a probe CLI here.
   */
  entry?: string[];
  /** Working directory of the jobs; default: this checkout. */
  cwd?: string;
  /** Environment additions for the Slurm commands (e.g. SLURM_CONF). */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

/** What {@link submitSlurmSweep} did. */
export interface SlurmSubmission {
  /** The submitted array and follow-up, or null when every run was done already. */
  attempt: SlurmAttempt | null;
  /** Ids of the runs submitted. */
  submitted: string[];
  /** Ids of the runs skipped as done. */
  skipped: string[];
  /** Runs not submitted because another process (a local sweep, a task of another submission) holds them. */
  held: { id: string; holder: string }[];
  /** The summary written because nothing was left to run. */
  summaryPath: string | null;
}

const CHECKOUT = new URL("../../../", import.meta.url).pathname.replace(/\/$/, "");
const ABLATE_CLI = new URL("../ablate_cli.ts", import.meta.url).pathname;

/**
 * @param experiment the experiment's name
 * @param runs all resolved runs of the sweep (already validated by resolveRuns)
 * @param options resources, retries, results root
 * @returns the submitted jobs and which runs were skipped
 * @throws SlurmUnavailableError without sbatch or a controller; RangeError/TypeError for bad options;
 *   Error when Slurm rejects the job, a run folder holds another config, or the sweep has live jobs
 * @example
 * ```ts ignore
 * const sub = await submitSlurmSweep("smoke", runs, { results: "results", maxParallel: 2, time: "00:30:00" });
 * console.log(`array ${sub.attempt?.array_job}`);
 * ```
 */
export async function submitSlurmSweep(
  experiment: string,
  runs: readonly ResolvedRun[],
  options: SlurmSubmitOptions = {},
): Promise<SlurmSubmission> {
  const log = options.log ?? ((l) => console.error(l));
  const checked = checkSlurmOptions(options);
  const results = absolutePath(options.results ?? "results");
  const dir = `${results}/${experiment}`;
  const target: SweepTarget = {
    experiment,
    results,
    cwd: options.cwd ? absolutePath(options.cwd) : CHECKOUT,
    entry: [...(options.entry ?? [Deno.execPath(), "run", "-A", ABLATE_CLI, experiment]), ...(options.forward ?? [])],
    options: checked,
    env: options.env,
  };

  // Local checks first: a run folder with another config would fail on the cluster, after queueing.
  const pending: ResolvedRun[] = [];
  const skipped: string[] = [];
  const held: SlurmSubmission["held"] = [];
  for (const run of runs) {
    const prev = await readJson<{ config: unknown }>(`${dir}/${run.id}/config.json`);
    if (prev && JSON.stringify(prev.config) !== JSON.stringify(run.config)) {
      throw new Error(
        `Run folder ${dir}/${run.id} holds a different config: the experiment changed since it ran. ` +
          `Move or delete that folder (or rename the experiment) to run the new config.`,
      );
    }
    const st = await readJson<RunStatus>(`${dir}/${run.id}/status.json`);
    const lock = inspectRunLock(`${dir}/${run.id}`);
    if (st?.state === "done") skipped.push(run.id);
    else if (lock && !lock.stale) held.push({ id: run.id, holder: describeRunLock(lock) });
    else pending.push(run);
  }

  // The cluster: client commands, controller, partition, live jobs of an earlier submission.
  // Spawning sbatch throws SlurmUnavailableError when it is not installed; a missing config shows in the ping.
  await slurmCommand("sbatch", ["--version"], { env: target.env });
  await checkController(target.env);
  if (checked.partition) {
    for (const p of checked.partition.split(",")) {
      const r = await slurmCommand("scontrol", ["show", "partition", p], { env: target.env });
      if (!r.ok) {
        const known = await slurmCommand("sinfo", ["-h", "-o", "%R"], { env: target.env });
        throw new RangeError(
          `Option --partition names an unknown Slurm partition "${p}"; the cluster has: ${known.stdout.trim().split("\n").join(", ") || "(none listed)"}`,
        );
      }
    }
  }
  const jobs = await readJobsFile(dir);
  const current = jobs?.sweeps.at(-1);
  if (current && !current.cancelled_at) {
    const q = await queryJobStates(sweepJobIds(current), target.env);
    const live = [...q.states].filter(([, s]) => LIVE_STATES.includes(s.state)).map(([id]) => id);
    if (live.length) {
      throw new Error(
        `Sweep ${dir} still has Slurm jobs queued or running (${live.join(", ")}): wait for them ` +
          `(\`deno task ablate ${experiment} --status\`) or cancel them (\`--cancel\`) before submitting again`,
      );
    }
  }

  // Its array task would find the run locked and end at once: leave it to its holder.
  for (const h of held) log(`${experiment}: ${h.id} not submitted: held by ${h.holder}`);
  if (pending.length === 0 && held.length) {
    log(`${experiment}: nothing to submit; ${held.length} run(s) are held by another process, which finishes them`);
    return { attempt: null, submitted: [], skipped, held, summaryPath: null };
  }
  if (pending.length === 0) {
    log(`${experiment}: all ${runs.length} runs are done; nothing to submit`);
    return { attempt: null, submitted: [], skipped, held, summaryPath: await writeSummary(dir, runs) };
  }

  // The whole job as Slurm will see it (resources vs partition limits, gres, time format).
  const test = await slurmCommand("sbatch", ["--test-only"], {
    env: target.env,
    stdin: arrayScript(target, pending, "sbatch --test-only check"),
  });
  if (!test.ok) {
    throw new RangeError(`Slurm rejects the job array (sbatch --test-only, exit ${test.code}): ${test.stderr || test.stdout.trim()}`);
  }

  const attempt = await submitAttempt(target, pending, 0);
  const file = jobs ?? { experiment, sweeps: [] };
  file.sweeps.push({
    submitted_at: attempt.submitted_at,
    results,
    cwd: target.cwd,
    entry: target.entry,
    options: { ...checked, timeSeconds: Number.isFinite(checked.timeSeconds) ? checked.timeSeconds : null },
    attempts: [attempt],
  });
  await writeJobsFile(dir, file);
  log(
    `${experiment}: submitted job array ${attempt.array_job} (${pending.length} run${pending.length > 1 ? "s" : ""}` +
      `${skipped.length ? `, ${skipped.length} done already` : ""}) and follow-up job ${attempt.follow_up_job}` +
      `${checked.retries ? ` (up to ${checked.retries} retries)` : ""}`,
  );
  log(`script: ${attempt.script}`);
  log(`logs:   ${slurmDir(dir)}/slurm-${attempt.array_job}_<index>.out (linked as <run>/slurm.out)`);
  return { attempt, submitted: pending.map((r) => r.id), skipped, held, summaryPath: null };
}
