/**
 * `results/<experiment>/slurm/jobs.json`: every Slurm submission of a sweep,
 * with its job ids, scripts and the run indices of each attempt (private to
 * lib/workbench/slurm).
 */
import { readJson, writeJson } from "../run_folder.ts";
import type { CheckedSlurmOptions } from "./check_slurm_options.ts";

/** One job array and its follow-up job. */
export interface SlurmAttempt {
  /** 0 for the submission, 1, 2… for retries. */
  attempt: number;
  array_job: string;
  follow_up_job: string;
  /** The run indices of this array. */
  indices: number[];
  script: string;
  follow_up_script: string;
  submitted_at: string;
}

/** One `--executor slurm` submission and its retries. */
export interface SlurmSweepRecord {
  submitted_at: string;
  /** Results root (absolute) and the workbench checkout the jobs run in. */
  results: string;
  cwd: string;
  /** Command prefix of the single-run entry point (Deno, script, experiment, forwarded flags). */
  entry: string[];
  /** Checked options; timeSeconds is stored as null when there is no limit (JSON has no Infinity). */
  options: Omit<CheckedSlurmOptions, "timeSeconds"> & { timeSeconds: number | null };
  attempts: SlurmAttempt[];
  finished_at?: string;
  summary?: string | null;
  cancelled_at?: string;
}

/** The whole file: submissions oldest first; the last one is the current. */
export interface SlurmJobsFile {
  experiment: string;
  sweeps: SlurmSweepRecord[];
}

/**
 * @param dir results/<experiment>
 * @returns the slurm/ folder
 */
export function slurmDir(dir: string): string {
  return `${dir}/slurm`;
}

/**
 * @param dir results/<experiment>
 * @returns the file, or null when the sweep was never submitted to Slurm
 */
export async function readJobsFile(dir: string): Promise<SlurmJobsFile | null> {
  return await readJson<SlurmJobsFile>(`${slurmDir(dir)}/jobs.json`);
}

/**
 * @param dir results/<experiment>
 * @param file the contents (written atomically)
 */
export async function writeJobsFile(dir: string, file: SlurmJobsFile): Promise<void> {
  await writeJson(`${slurmDir(dir)}/jobs.json`, file);
}

/**
 * @param record a stored sweep
 * @returns its options with timeSeconds back as a number
 */
export function storedOptions(record: SlurmSweepRecord): CheckedSlurmOptions {
  return { ...record.options, timeSeconds: record.options.timeSeconds ?? Infinity };
}

/**
 * @param record a sweep
 * @returns every job id it submitted (arrays and follow-ups)
 */
export function sweepJobIds(record: SlurmSweepRecord): string[] {
  return record.attempts.flatMap((a) => [a.array_job, a.follow_up_job]);
}
