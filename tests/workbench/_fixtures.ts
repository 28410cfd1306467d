/**
 * What the workbench tests hand to sweeps and pipelines in place of a real
 * machine: a fixed run environment, a run context that never stops, and
 * another process holding a run's lock.
 */
import type { RunConfig, Task, TaskConfig } from "../../lib/workbench/run_config.ts";
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
 * @param config a resolved run config
 * @param task the task the test expects it to have
 * @returns the config, typed as that task's (the same object: changes to it change the run)
 * @throws {TypeError} when its task is another
 */
export function as<T extends Task>(config: RunConfig, task: T): TaskConfig<T> {
  if (config.task !== task) throw new TypeError(`Expected a config of task "${task}", received task "${config.task}"`);
  return config as TaskConfig<T>;
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

const lockChild = new URL("../io/_lock_child.ts", import.meta.url).pathname;

/** Another process holding a run folder's lock. */
export interface LockHolder {
  pid: number;
  /** Lets it release the lock and exit. */
  release(): Promise<void>;
  /** Kills it with SIGKILL: its lock stays behind. */
  kill9(): Promise<void>;
}

/**
 * @param dir a run folder (created when missing)
 * @returns a process (tests/io/_lock_child.ts) that holds `<dir>/lock.json` until released or killed
 */
export async function holdRunLock(dir: string): Promise<LockHolder> {
  await Deno.mkdir(dir, { recursive: true });
  const go = await Deno.makeTempFile();
  const p = new Deno.Command(Deno.execPath(), { args: ["run", "-A", lockChild, `${dir}/lock.json`, go], stdin: "piped", stdout: "piped" })
    .spawn();
  const lines = p.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!/\n(locked|took-over|held)/.test(out)) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`lock holder ended: ${out}`);
    out += value;
  }
  await Deno.remove(go);
  if (!/\n(locked|took-over)/.test(out)) throw new Error(`lock holder could not take ${dir}/lock.json: ${out}`);
  return {
    pid: p.pid,
    async release() {
      await p.stdin.close();
      await lines.cancel();
      await p.status;
    },
    async kill9() {
      p.kill("SIGKILL");
      await p.status;
      await lines.cancel();
      await p.stdin.close().catch(() => {});
    },
  };
}
