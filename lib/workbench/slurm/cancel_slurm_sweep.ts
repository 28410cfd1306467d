/**
 * `deno task ablate <experiment> --cancel`: cancels (`scancel`) the job
 * arrays and follow-up jobs of the sweep's current Slurm submission that are
 * still queued or running, as recorded in `results/<experiment>/slurm/jobs.json`,
 * and marks the submission cancelled so that no follow-up re-submits anything.
 * Runs killed mid-way resume from their last checkpoint when submitted again.
 */
import { LIVE_STATES, queryJobStates } from "./_job_states.ts";
import { readJobsFile, sweepJobIds, writeJobsFile } from "./_jobs_file.ts";
import { absolutePath } from "./_paths.ts";
import { checkController, slurmCommand } from "./_slurm_command.ts";

/**
 * @param experiment the experiment's name
 * @param options results root, environment additions for Slurm
 * @returns the job ids that were cancelled (empty when none was live)
 * @throws Error when the sweep was never submitted or scancel fails
 * @example
 * ```ts ignore
 * const ids = await cancelSlurmSweep("smoke", { results: "results" });
 * ```
 */
export async function cancelSlurmSweep(
  experiment: string,
  options: { results?: string; env?: Record<string, string> } = {},
): Promise<string[]> {
  const dir = `${absolutePath(options.results ?? "results")}/${experiment}`;
  const file = await readJobsFile(dir);
  const sweep = file?.sweeps.at(-1);
  if (!file || !sweep) throw new Error(`Cannot cancel ${dir} as it holds no slurm/jobs.json: it was never submitted to Slurm`);
  await checkController(options.env);
  // Mark first: a follow-up starting between the query and scancel then does nothing.
  if (!sweep.cancelled_at) {
    sweep.cancelled_at = new Date().toISOString();
    await writeJobsFile(dir, file);
  }
  const q = await queryJobStates(sweepJobIds(sweep), options.env);
  const live = [...new Set([...q.states].filter(([, s]) => LIVE_STATES.includes(s.state)).map(([id]) => id.split("_")[0]))];
  if (live.length === 0) return [];
  const r = await slurmCommand("scancel", live, { env: options.env });
  if (!r.ok) throw new Error(`scancel ${live.join(" ")} failed (exit ${r.code}): ${r.stderr}`);
  return live;
}
