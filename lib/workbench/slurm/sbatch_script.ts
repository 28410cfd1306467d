/**
 * Generates the sbatch scripts of a Slurm sweep: the job array (one task per
 * run; array index = run index, so a task runs exactly the run the local
 * executor would) and the follow-up job that retries failed runs and writes
 * the summary once the array has ended.
 *
 * References: sbatch(1) (--array, --output %A/%a, --signal, --dependency).
 */
import type { CheckedSlurmOptions } from "./check_slurm_options.ts";
import { shellQuote } from "./_shell.ts";

/** What one generated script does. */
export interface SbatchSpec {
  /** "runs": the job array; "follow-up": the retry/summary job after it. */
  kind: "runs" | "follow-up";
  experiment: string;
  /** Job name shown by squeue. */
  jobName: string;
  /** (runs) the run indices, with their run ids for the header. */
  runs?: { index: number; id: string }[];
  /** Log path; `%A` = array job id, `%a` = task index, `%j` = job id. */
  output: string;
  /** Working directory of the job (the workbench checkout). */
  chdir: string;
  /** (follow-up) `afterany:<array job id>`. */
  dependency?: string;
  /** The command (argv); for runs the task index is appended as `--index $SLURM_ARRAY_TASK_ID`. */
  command: string[];
  options: CheckedSlurmOptions;
  /** First comment line (what generated the script and when). */
  generatedBy: string;
}

/** How long the follow-up job may take at most (it only reads run folders and writes the summary). */
const FOLLOW_UP_SECONDS = 15 * 60;

/**
 * Compresses run indices into Slurm's array syntax.
 * @param indices e.g. [0, 1, 2, 5, 7, 8]
 * @returns e.g. "0-2,5,7-8"
 * @example
 * ```ts
 * import { arrayRanges } from "./sbatch_script.ts";
 * arrayRanges([0, 1, 2, 5]); // "0-2,5"
 * ```
 */
export function arrayRanges(indices: readonly number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j;
  }
  return parts.join(",");
}

/**
 * Formats seconds as Slurm's D-HH:MM:SS.
 * @param s seconds (> 0, finite)
 * @returns e.g. "0-00:15:00"
 */
function slurmDuration(s: number): string {
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d}-${two(h)}:${two(m)}:${two(sec)}`;
}

/**
 * Seconds before the time limit at which a run gets SIGINT, so that it stops
 * after its current step with a checkpoint (state "interrupted") instead of
 * being killed: a tenth of the limit, between 10 s and 300 s.
 * @param timeSeconds the time limit
 * @returns the lead time in seconds
 * @example
 * ```ts
 * import { signalLeadSeconds } from "./sbatch_script.ts";
 * signalLeadSeconds(2 * 3600); // 300 (`--signal=B:INT@300` for --time 02:00:00)
 * ```
 */
export function signalLeadSeconds(timeSeconds: number): number {
  return Math.max(10, Math.min(300, Math.floor(timeSeconds / 10)));
}

/**
 * @param spec what the job does and with which resources
 * @returns the script text (bash, with #SBATCH directives)
 * @example
 * ```ts
 * import { checkSlurmOptions, sbatchScript } from "./mod.ts";
 * const text = sbatchScript({
 *   kind: "runs",
 *   experiment: "smoke",
 *   jobName: "ablate-smoke",
 *   runs: [{ index: 0, id: "0-lr=0.001" }, { index: 1, id: "1-lr=0.003" }],
 *   output: "/r/smoke/slurm/slurm-%A_%a.out",
 *   chdir: "/work/main",
 *   command: ["deno", "run", "-A", "lib/workbench/ablate_cli.ts", "smoke", "--results", "/r"],
 *   options: checkSlurmOptions({ maxParallel: 1 }),
 *   generatedBy: "example",
 * });
 * text.includes("#SBATCH --array=0-1%1"); // true
 * ```
 */
export function sbatchScript(spec: SbatchSpec): string {
  const o = spec.options;
  const lines = ["#!/bin/bash", `# ${spec.generatedBy}`];
  const d: string[] = [`--job-name=${spec.jobName}`];
  if (spec.kind === "runs") {
    const runs = spec.runs ?? [];
    if (runs.length === 0) throw new RangeError(`Cannot write a job array for "${spec.experiment}" with no runs`);
    lines.push(
      `# Job array of experiment "${spec.experiment}": array index = run index (the runs' folders are under --results).`,
      ...runs.map((r) => `#   ${r.index} -> ${r.id}`),
      `# Submitting this file again with sbatch re-runs these indices; finished runs are skipped, interrupted ones resume.`,
    );
    d.push(`--array=${arrayRanges(runs.map((r) => r.index))}${o.maxParallel ? `%${o.maxParallel}` : ""}`);
  } else {
    lines.push(
      `# Follow-up of experiment "${spec.experiment}": after the array ends, re-submits the runs that did not`,
      `# finish (while retries remain) or writes the sweep's summary.parquet.`,
    );
  }
  d.push(`--output=${spec.output}`, `--chdir=${spec.chdir}`, "--export=ALL", "--nodes=1", "--ntasks=1");
  if (spec.dependency) d.push(`--dependency=${spec.dependency}`);
  if (o.partition) d.push(`--partition=${o.partition}`);
  if (spec.kind === "runs") {
    d.push(`--cpus-per-task=${o.cpusPerRun}`);
    if (o.time) d.push(`--time=${o.time}`);
    // SIGINT to the batch shell, which exec's Deno: the run checkpoints and stops cleanly before the limit.
    if (Number.isFinite(o.timeSeconds)) d.push(`--signal=B:INT@${signalLeadSeconds(o.timeSeconds)}`);
    if (o.mem) d.push(`--mem=${o.mem}`);
    if (o.gpusPerRun > 0) d.push(`--gres=gpu:${o.gpusPerRun}`);
  } else {
    d.push("--cpus-per-task=1", "--mem=1G");
    if (Number.isFinite(o.timeSeconds)) d.push(`--time=${slurmDuration(Math.min(o.timeSeconds, FOLLOW_UP_SECONDS))}`);
  }
  for (const x of d) lines.push(`#SBATCH ${shellQuote(x)}`);
  for (const x of o.extraSbatch) lines.push(`#SBATCH ${x}`);
  lines.push("", "set -eu");
  const cmd = spec.command.map(shellQuote).join(" ");
  if (spec.kind === "runs") {
    lines.push(
      `echo "experiment ${spec.experiment}: run index \${SLURM_ARRAY_TASK_ID}, job \${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID} on $(hostname), started $(date -Is)"`,
      `exec ${cmd} --index "$SLURM_ARRAY_TASK_ID"`,
    );
  } else {
    lines.push(`echo "experiment ${spec.experiment}: follow-up job \${SLURM_JOB_ID} on $(hostname), started $(date -Is)"`, `exec ${cmd}`);
  }
  return lines.join("\n") + "\n";
}
