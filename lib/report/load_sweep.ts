/**
 * Loads a finished (or partial) sweep from `results/<experiment>/`: the
 * summary table (Parquet, via nodejs-polars) and each run's config and
 * metrics log. Notebooks read results through this; nothing is recomputed.
 *
 * @example
 * ```ts ignore
 * const sweep = await loadSweep("../results/smoke");
 * sweep.summary.length; // one row per finished run
 * ```
 */
import pl from "nodejs-polars";
import { readJsonl } from "../train/metrics_log.ts";

/** One run as stored on disk. */
export interface StoredRun {
  id: string;
  config: Record<string, unknown> & { config: Record<string, unknown> };
  status: Record<string, unknown> | null;
  result: Record<string, unknown> | null;
  metrics: Record<string, unknown>[];
}

/** A sweep as stored on disk. */
export interface StoredSweep {
  dir: string;
  summary: Record<string, unknown>[];
  runs: StoredRun[];
}

/**
 * @param dir results/<experiment>
 * @returns the summary rows and every run folder's files (runs sorted by index)
 */
export async function loadSweep(dir: string): Promise<StoredSweep> {
  let summary: Record<string, unknown>[] = [];
  try {
    await Deno.stat(`${dir}/summary.parquet`);
    summary = pl.readParquet(`${dir}/summary.parquet`).toRecords() as Record<string, unknown>[];
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const runs: StoredRun[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isDirectory) continue;
    const d = `${dir}/${entry.name}`;
    const config = await readJsonFile(`${d}/config.json`);
    if (!config) continue;
    runs.push({
      id: entry.name,
      config: config as StoredRun["config"],
      status: await readJsonFile(`${d}/status.json`),
      result: await readJsonFile(`${d}/result.json`),
      metrics: ((await readJsonl(`${d}/metrics.jsonl`)) ?? []).filter((r): r is Record<string, unknown> => r !== null),
    });
  }
  runs.sort((a, b) => Number(a.config.index) - Number(b.config.index));
  return { dir, summary, runs };
}

async function readJsonFile(path: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}
