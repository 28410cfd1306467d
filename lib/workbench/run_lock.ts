/**
 * The lock of a run folder, `<run>/lock.json`: taken before a run starts or
 * resumes and released when it ends, by every executor (the local sweep and
 * each Slurm array task go through runSweep), so two processes never train
 * the same run. It holds the host, pid, start time, the command and the Slurm
 * job when there is one; its lease is renewed every 30 s and another host
 * takes it over after 600 s without renewal (`WORKBENCH_LOCK_STALE_S`
 * changes the timeout); on the same host a lock whose process is gone is
 * taken over at once. See lib/io/lock_file.ts for how.
 */
import { type LockAcquisition, LockFile, type LockFileOptions, type LockView } from "../io/lock_file.ts";

/** The lock's file name inside a run folder. */
export const RUN_LOCK_FILE = "lock.json";

/** Options of {@link acquireRunLock}: lease timing and the host name (tests). */
export type RunLockOptions = Pick<LockFileOptions, "refreshS" | "staleAfterS" | "host">;

/**
 * @param dir the run folder (must exist)
 * @param options lease timing (default: renewed every 30 s, stale after `WORKBENCH_LOCK_STALE_S` or 600 s)
 * @returns the held lock (and the stale one it replaced), or the process holding it
 * @example
 * ```ts
 * import { acquireRunLock } from "./run_lock.ts";
 * const dir = await Deno.makeTempDir();
 * const got = acquireRunLock(dir);
 * if (got.lock) got.lock.release();
 * ```
 */
export function acquireRunLock(dir: string, options: RunLockOptions = {}): LockAcquisition {
  const staleAfterS = options.staleAfterS ?? staleAfterFromEnv();
  return LockFile.acquire(`${dir}/${RUN_LOCK_FILE}`, {
    refreshS: options.refreshS ?? Math.min(30, staleAfterS / 4),
    staleAfterS,
    host: options.host,
    details: { command: commandLine(), slurm_job: slurmJob() },
  });
}

/**
 * @param dir a run folder
 * @returns its lock as seen from this host, or null when it has none
 */
export function inspectRunLock(dir: string): LockView | null {
  return LockFile.inspect(`${dir}/${RUN_LOCK_FILE}`);
}

/**
 * @param view a lock as {@link inspectRunLock} or a refused acquisition returns it
 * @returns one line: where it runs (Slurm job or pid@host), since when, and its state
 * @example
 * ```ts ignore
 * describeRunLock(view); // "Slurm job 12_0 (pid 4711 on node3) since 2025-05-01T10:00:00.000Z, lease renewed 12 s ago"
 * ```
 */
export function describeRunLock(view: LockView): string {
  const i = view.info;
  if (!i) return `${view.stale ? "stale " : ""}lock ${view.path}: ${view.reason}`;
  const where = i.details.slurm_job ? `Slurm job ${i.details.slurm_job} (pid ${i.pid} on ${i.host})` : `pid ${i.pid} on ${i.host}`;
  return view.stale
    ? `stale lock of ${where} since ${i.started_at}: ${view.reason}; the next run takes it over`
    : `${where} since ${i.started_at}, lease renewed ${Math.round(view.leaseAgeS)} s ago`;
}

function staleAfterFromEnv(): number {
  const raw = Deno.env.get("WORKBENCH_LOCK_STALE_S");
  if (raw === undefined || raw === "") return 600;
  const v = Number(raw);
  if (!(v > 0)) throw new RangeError(`WORKBENCH_LOCK_STALE_S must be a number of seconds > 0: received "${raw}"`);
  return v;
}

/** This process's command as a user would type it: the script's file name and its arguments. */
function commandLine(): string {
  const script = Deno.mainModule.split("/").pop() ?? Deno.mainModule;
  return [script, ...Deno.args].join(" ");
}

/** The Slurm task running this process ("<array job>_<task>" for an array task), or null outside Slurm. */
function slurmJob(): string | null {
  const array = Deno.env.get("SLURM_ARRAY_JOB_ID"), task = Deno.env.get("SLURM_ARRAY_TASK_ID");
  if (array && task) return `${array}_${task}`;
  return Deno.env.get("SLURM_JOB_ID") || null;
}
