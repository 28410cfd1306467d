/**
 * Reading a stored run's config and results the way the foundation notebook's
 * tables do (private to lib/report): numbers of result.json, and the run a
 * checkpoint path names.
 */
import type { StoredRun } from "./load_sweep.ts";

/** The fields of a run config these tables read (config.json as stored, without importing lib/workbench). */
export interface StoredConfig {
  data: { trainClips: number; frames: number };
  model: { preset: string; checkpoint?: string | null };
  vae: { preset: string; steps: number; checkpoint: string | null; init?: string | null };
}

/** The run's config. */
export function storedConfig(run: StoredRun): StoredConfig {
  return run.config.config as unknown as StoredConfig;
}

/** A number of the run's result.json, or null. */
export function resultNumber(run: StoredRun, key: string): number | null {
  const v = run.result?.[key];
  return typeof v === "number" ? v : null;
}

/** The run a checkpoint folder belongs to: `results/<experiment>/<run>/<part>` → `<experiment>/<run>`, or null. */
export function checkpointRun(path: string | null | undefined, part: "dit" | "vae"): string | null {
  return path?.match(new RegExp(`results/(.+?)/${part}/?$`))?.[1] ?? null;
}
