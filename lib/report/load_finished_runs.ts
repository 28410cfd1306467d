/**
 * The finished runs of several experiments under a results root, named
 * `<experiment>/<run folder>` (a sweep has several), and the experiments that
 * have none (missing, or not finished).
 *
 * References: lib/report/load_sweep.ts (one experiment's runs).
 */
import { loadSweep, type StoredRun } from "./load_sweep.ts";

/** A finished run and its name. */
export interface FinishedRun {
  /** `<experiment>/<run folder>` */
  name: string;
  run: StoredRun;
}

/**
 * @param root the results root
 * @param experiments the experiments' names, in the order their runs are listed
 * @returns the finished runs (status "done") and the experiments without one
 * @example
 * ```ts ignore
 * const { found, missing } = await loadFinishedRuns("../results", ["pretrain", "pretrain_dit"]);
 * ```
 */
export async function loadFinishedRuns(root: string, experiments: readonly string[]): Promise<{ found: FinishedRun[]; missing: string[] }> {
  const found: FinishedRun[] = [];
  const missing: string[] = [];
  for (const e of experiments) {
    const sweep = await loadSweep(`${root}/${e}`).catch((err) => {
      if (err instanceof Deno.errors.NotFound) return null;
      throw err;
    });
    const done = sweep?.runs.filter((r) => r.status?.state === "done") ?? [];
    for (const run of done) found.push({ name: `${e}/${run.id}`, run });
    if (!done.length) missing.push(e);
  }
  return { found, missing };
}
