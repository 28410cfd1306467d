/**
 * A run's self-describing folder `results/<experiment>/<run-id>/`:
 * `config.json` (resolved config, seed, backend, threads, git commit, start
 * time), `status.json` (running / done / failed / interrupted, end time,
 * error), `result.json` (final metrics), `metrics.jsonl`, `checkpoints/`.
 */
import { atomicWrite } from "../io/atomic_write.ts";
import type { ResolvedRun } from "./experiment.ts";
import { canonicalJson } from "./_canonical_json.ts";
import { migrateRunConfig } from "./migrate_run_config.ts";
import type { RunConfig } from "./run_config.ts";

/** The lifecycle state recorded in status.json. */
export type RunState = "running" | "done" | "failed" | "interrupted";

/** Contents of status.json. */
export interface RunStatus {
  state: RunState;
  started_at: string;
  ended_at?: string;
  error?: string;
  /** Total wall time across sessions (resumes add up), in seconds. */
  wall_s?: number;
}

/** Facts about where and how a run executes. */
export interface RunEnvironment {
  backend: string;
  threads: number;
  engine_notes: string[];
  git_commit: string;
  git_dirty: boolean;
  deno: string;
  host: string;
  /** The WebGPU adapter (vendor, architecture, fallback flag, limits) when the backend is webgpu. */
  adapter?: import("../engine/webgpu/mod.ts").AdapterInfo;
}

/**
 * @param path a JSON file
 * @returns its parsed contents, or null when missing
 */
export async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw new TypeError(`Cannot read ${path}: ${(e as Error).message}`);
  }
}

/**
 * @param path a JSON file (written atomically)
 * @param value the value
 */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await atomicWrite(path, JSON.stringify(value, null, 2) + "\n");
}

/**
 * Creates (or re-opens for resume) a run folder. Refuses to reuse a folder
 * whose recorded config differs from this run's: results of two configs never
 * mix under one name.
 * @param dir the run folder
 * @param experiment the experiment name
 * @param run the resolved run
 * @param env backend, commit…
 * @returns the previous status (null for a new run)
 */
export async function openRunFolder(
  dir: string,
  experiment: string,
  run: ResolvedRun,
  env: RunEnvironment,
): Promise<RunStatus | null> {
  await Deno.mkdir(dir, { recursive: true });
  const previous = await readJson<{ config: unknown }>(`${dir}/config.json`);
  if (previous && !sameRunConfig(previous.config, run.config)) {
    throw new Error(
      `Run folder ${dir} holds a different config: the experiment changed since it ran. ` +
        `Move or delete that folder (or rename the experiment) to run the new config.`,
    );
  }
  const status = await readJson<RunStatus>(`${dir}/status.json`);
  if (!previous) {
    await writeJson(`${dir}/config.json`, {
      experiment,
      run: run.id,
      index: run.index,
      overrides: run.overrides,
      seed: run.config.seed,
      ...env,
      started_at: new Date().toISOString(),
      config: run.config,
    });
  }
  return status;
}

/**
 * Whether a run folder's recorded config (either shape, migrate_run_config.ts)
 * is the config of `config`: equal values, whatever their key order.
 * @param recorded the `config` field of the folder's config.json
 * @param config a resolved run config
 * @returns true when the folder holds a run of this config
 * @example
 * ```ts
 * import { sameRunConfig } from "./run_folder.ts";
 * import { taskDefaults } from "./run_defaults.ts";
 * sameRunConfig({ task: "pretrain", train: { steps: 0 } }, taskDefaults("vae")); // true: the first shape's VAE-only run
 * ```
 */
export function sameRunConfig(recorded: unknown, config: RunConfig): boolean {
  return canonicalJson(migrateRunConfig(recorded)) === canonicalJson(config);
}

/**
 * @returns the current git commit and whether the work tree has changes ("unknown" outside git)
 */
export async function gitInfo(): Promise<{ commit: string; dirty: boolean }> {
  try {
    const head = await new Deno.Command("git", { args: ["rev-parse", "HEAD"], stderr: "null" }).output();
    const st = await new Deno.Command("git", { args: ["status", "--porcelain", "--untracked-files=no"], stderr: "null" })
      .output();
    if (!head.success) return { commit: "unknown", dirty: false };
    return {
      commit: new TextDecoder().decode(head.stdout).trim(),
      dirty: new TextDecoder().decode(st.stdout).trim() !== "",
    };
  } catch {
    return { commit: "unknown", dirty: false };
  }
}
