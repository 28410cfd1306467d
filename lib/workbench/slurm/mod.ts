/**
 * The Slurm executor of `deno task ablate`: a sweep as one job array (one
 * task per run, each running the same single-run entry point as the local
 * executor), a follow-up job for retries and the summary, status from
 * squeue/sacct and the run folders, cancel, and a real one-node local cluster
 * for tests.
 */
export { checkSlurmOptions } from "./check_slurm_options.ts";
export type { CheckedSlurmOptions, SlurmOptions } from "./check_slurm_options.ts";
export { parseSlurmTime } from "./parse_slurm_time.ts";
export { arrayRanges, sbatchScript, signalLeadSeconds } from "./sbatch_script.ts";
export type { SbatchSpec } from "./sbatch_script.ts";
export { submitSlurmSweep } from "./submit_slurm_sweep.ts";
export type { SlurmSubmission, SlurmSubmitOptions } from "./submit_slurm_sweep.ts";
export { slurmFollowUp } from "./slurm_follow_up.ts";
export type { FollowUpResult } from "./slurm_follow_up.ts";
export { slurmStatus } from "./slurm_status.ts";
export type { SlurmRunStatus, SlurmSweepStatus } from "./slurm_status.ts";
export { cancelSlurmSweep } from "./cancel_slurm_sweep.ts";
export { startLocalCluster } from "./local_cluster.ts";
export type { LocalCluster, LocalClusterOptions } from "./local_cluster.ts";
export { SlurmUnavailableError } from "./_slurm_command.ts";
export type { SlurmAttempt, SlurmJobsFile, SlurmSweepRecord } from "./_jobs_file.ts";
