/**
 * Builds a sweep's summary table from its run folders: one row per finished
 * run with the run id, the swept values, the seed and backend, wall time and
 * the final metrics, written to `summary.parquet` (nodejs-polars) atomically.
 * Tables are built from the per-run files, never recomputed.
 */
import pl from "nodejs-polars";
import type { ResolvedRun } from "./experiment.ts";
import { readJson, type RunStatus } from "./run_folder.ts";

/** A summary row's values. */
export type Cell = number | string | boolean | null;

/**
 * @param dir results/<experiment>
 * @param runs the sweep's resolved runs
 * @returns the Parquet path, or null when no run has finished
 * @example
 * ```ts ignore
 * const path = await writeSummary("results/smoke", runs);
 * ```
 */
export async function writeSummary(dir: string, runs: readonly ResolvedRun[]): Promise<string | null> {
  const rows: Record<string, Cell>[] = [];
  for (const run of runs) {
    const status = await readJson<RunStatus>(`${dir}/${run.id}/status.json`);
    if (status?.state !== "done") continue;
    const result = (await readJson<Record<string, Cell>>(`${dir}/${run.id}/result.json`)) ?? {};
    const cfg = await readJson<{ backend: string; threads: number; git_commit: string }>(`${dir}/${run.id}/config.json`);
    const row: Record<string, Cell> = {
      run: run.id,
      index: run.index,
      seed: run.config.seed,
      backend: cfg?.backend ?? null,
      threads: cfg?.threads ?? null,
      git_commit: cfg?.git_commit ?? null,
    };
    for (const [k, v] of Object.entries(run.overrides)) row[k] = cell(v);
    for (const [k, v] of Object.entries(result)) row[k] = cell(v);
    rows.push(row);
  }
  if (rows.length === 0) return null;
  // Every row gets every column (null where absent) so polars infers one schema.
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const data: Record<string, Cell[]> = {};
  for (const c of columns) data[c] = rows.map((r) => (c in r ? r[c] : null));
  const df = pl.DataFrame(data);
  const path = `${dir}/summary.parquet`;
  // Unique across hosts too: Slurm tasks on different nodes of a shared filesystem can have the same pid.
  const tmp = `${dir}/.summary.parquet.tmp-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`;
  df.writeParquet(tmp);
  await Deno.rename(tmp, path);
  return path;
}

function cell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  return JSON.stringify(v);
}
