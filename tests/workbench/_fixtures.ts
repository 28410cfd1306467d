/**
 * What the workbench tests hand to sweeps and pipelines in place of a real
 * machine: a fixed run environment and a run context that never stops.
 */
import type { RunEnvironment } from "../../lib/workbench/run_folder.ts";
import type { RunContext } from "../../lib/workbench/run_sweep.ts";

/**
 * @param backend the backend name recorded in run folders
 * @returns a fixed environment (commit "abc", clean tree, host "test")
 */
export function testEnv(backend = "test"): RunEnvironment {
  return { backend, threads: 1, engine_notes: [], git_commit: "abc", git_dirty: false, deno: Deno.version.deno, host: "test" };
}

/**
 * @param dir the run folder
 * @param label the progress label
 * @param experiment the experiment name recorded
 * @returns a context for runPipeline that never asks to stop
 */
export function runContext(dir: string, label: string, experiment = "t"): RunContext {
  return { dir, experiment, env: {} as RunContext["env"], label, shouldStop: () => false };
}
