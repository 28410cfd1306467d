/**
 * Builds a sweep's summary table from its run folders: one row per finished
 * run with the run id, the swept values, the seed and backend, wall time and
 * the final metrics, written to `summary.parquet` (nodejs-polars) atomically.
 * For the paper's ablations ({@link ABLATION_EXPERIMENTS}) the same rows also
 * go to `<results root>/ablations/<experiment>.parquet` (the results root is
 * the sweep folder's parent, `results/` by default), with an `experiment`
 * column first and, for `benchmark`, every column of both paper tables in the
 * paper's order (null where a run has none, e.g. an out-of-memory design).
 * Tables are built from the per-run files, never recomputed.
 *
 * Both files are written atomically (atomic_write.ts): several processes of a
 * sweep (local ones, Slurm tasks) may write them at once and notebooks read
 * them meanwhile; each sees a whole table, and a full disk keeps the previous one.
 */
import pl from "nodejs-polars";
import { atomicWrite } from "../io/atomic_write.ts";
import type { ResolvedRun } from "./experiment.ts";
import { readJson, type RunStatus } from "./run_folder.ts";
import { PAPER_COLUMNS } from "../eval/syn/paper_columns.ts";
import { designLabel, isModelDesign } from "./model_design.ts";

/** A summary row's values. */
export type Cell = number | string | boolean | null;

/** The experiments whose summaries are the paper's ablation tables under `<results root>/ablations/`. */
export const ABLATION_EXPERIMENTS: readonly string[] = ["model_design", "timestep_warmup", "batch_iterations", "benchmark"];

/**
 * @param dir results/<experiment> (for an ablation experiment, `<dir>/../ablations/<experiment>.parquet` is written too)
 * @param runs the sweep's resolved runs
 * @returns the summary's Parquet path, or null when no run has finished
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
  await atomicWrite(path, df.writeParquet());
  const name = dir.replace(/\/+$/, "").split("/").pop()!;
  if (ABLATION_EXPERIMENTS.includes(name)) await writeAblationTable(dir, name, rows, Object.keys(runs[0]?.overrides ?? {}));
  return path;
}

/**
 * `<results root>/ablations/<experiment>.parquet`: experiment, run, index, seed, the axes, then (benchmark)
 * both tables' columns in the paper's order, then every other value of the summary row. Each column gets
 * one explicit type (Float64 for numbers, Boolean, else Utf8) so null-only or mixed columns still write.
 */
async function writeAblationTable(
  dir: string,
  experiment: string,
  rows: readonly Record<string, Cell>[],
  axes: readonly string[],
): Promise<void> {
  const first = ["experiment", "run", "index", "seed", ...axes, ...(experiment === "benchmark" ? PAPER_COLUMNS : [])];
  const rest = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => !first.includes(c));
  const full = rows.map((r) => ({ experiment, ...r }) as Record<string, Cell>);
  const series = [...new Set([...first, ...rest])].map((c) => {
    const values = full.map((r) => (c in r ? r[c] : null));
    const present = values.filter((v) => v !== null);
    if (present.every((v) => typeof v === "number")) return pl.Series(c, values, pl.Float64);
    if (present.every((v) => typeof v === "boolean")) return pl.Series(c, values, pl.Bool);
    return pl.Series(c, values.map((v) => (v === null ? null : String(v))), pl.Utf8);
  });
  const root = dir.replace(/\/+$/, "").split("/").slice(0, -1).join("/") || ".";
  await Deno.mkdir(`${root}/ablations`, { recursive: true });
  await atomicWrite(`${root}/ablations/${experiment}.parquet`, pl.DataFrame(series).writeParquet());
}

function cell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  // A design reads as its preset's name, or its kind, placement and scope (as in run ids).
  if (isModelDesign(v)) return designLabel(v);
  return JSON.stringify(v);
}
