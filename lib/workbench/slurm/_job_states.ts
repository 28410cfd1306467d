/**
 * The Slurm state of a sweep's jobs: squeue for live (and recently ended)
 * jobs, sacct for older ones when accounting is available (with
 * `AccountingStorageType=accounting_storage/none` sacct fails, and squeue plus
 * the run folders are all there is). Private to lib/workbench/slurm.
 */
import { slurmCommand } from "./_slurm_command.ts";

/** A job's (or array task's) state as Slurm reports it. */
export interface JobState {
  /** PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY… */
  state: string;
  /** squeue's reason (Dependency, Resources, JobArrayTaskLimit…) or sacct's exit code. */
  reason?: string;
}

/** States of a set of jobs, keyed "12_3" for array task 3 of job 12 and "13" for a plain job. */
export interface JobStates {
  states: Map<string, JobState>;
  /** Whether sacct answered (false: accounting disabled or unreachable). */
  accounting: boolean;
  /** Why Slurm could not be asked at all (no controller), else null. */
  error: string | null;
}

/** States in which a job may still run. */
export const LIVE_STATES = ["PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "SIGNALING", "STAGE_OUT"];

/**
 * Expands sacct's "12_[0-3,5%2]" into 12_0 … 12_3, 12_5.
 * @param id a job id as printed by sacct
 * @returns the ids it stands for
 */
export function expandJobId(id: string): string[] {
  const m = /^(\d+)_\[([^\]]+)\]$/.exec(id);
  if (!m) return [id];
  const out: string[] = [];
  for (const part of m[2].split("%")[0].split(",")) {
    const [a, b] = part.split("-").map(Number);
    for (let i = a; i <= (b ?? a); i++) out.push(`${m[1]}_${i}`);
  }
  return out;
}

/**
 * @param ids job ids (array jobs and plain jobs)
 * @param env environment additions for the Slurm commands
 * @returns the state of every job and array task Slurm still knows
 */
export async function queryJobStates(ids: readonly string[], env?: Record<string, string>): Promise<JobStates> {
  const states = new Map<string, JobState>();
  if (ids.length === 0) return { states, accounting: false, error: null };
  const list = ids.join(",");
  const sq = await slurmCommand("squeue", ["-h", "-r", "--states=all", "-j", list, "-o", "%i|%T|%r"], { env });
  let error: string | null = null;
  if (sq.ok) {
    for (const line of sq.stdout.split("\n")) {
      const [id, state, reason] = line.trim().split("|");
      if (id && state) states.set(id, { state, reason: reason === "None" ? undefined : reason });
    }
  } else if (!/Invalid job id/i.test(sq.stderr)) {
    // "Invalid job id" only means every job has left the controller's memory.
    error = `squeue failed (exit ${sq.code}): ${sq.stderr || sq.stdout.trim()}`;
  }
  const sa = await slurmCommand("sacct", ["-n", "-P", "-X", "-j", list, "-o", "JobID,State,ExitCode"], { env });
  const accounting = sa.ok;
  if (sa.ok) {
    for (const line of sa.stdout.split("\n")) {
      const [id, state, exit] = line.trim().split("|");
      if (!id || !state) continue;
      for (const x of expandJobId(id)) {
        if (!states.has(x)) states.set(x, { state: state.split(" ")[0], reason: exit && exit !== "0:0" ? `exit ${exit}` : undefined });
      }
    }
  }
  return { states, accounting, error };
}
