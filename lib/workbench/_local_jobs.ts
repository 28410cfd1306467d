/**
 * `deno task ablate <experiment> --jobs K`: K sweep processes on one machine at once, sharing the sweep's
 * runs through the run locks (lib/workbench/run_lock.ts) exactly as K copies of the command started by
 * hand do: each takes the next run nobody holds, skips runs a sibling holds, and the last to finish writes
 * the summary. Each run is trained by one process, with the same config, seed and losses as in a single
 * sweep; only the wall time changes. On a machine with C cores, K = C / threads uses every core when the
 * engine's own loops run on one thread (README, Performance).
 *
 * Output lines are prefixed `[job k]`. Ctrl-C at the terminal reaches every job (one process group), and
 * each checkpoints after its current step; SIGTERM sent to this process is passed on to the jobs.
 *
 * References: GNU parallel's job slots and Slurm job arrays (`--array=…%K`), the same runs split over
 * K workers; the sweep's locks are the only coordination.
 *
 * @module
 */

/** Exit status of a sweep that left runs to another process still holding them (EX_TEMPFAIL); ablate_cli exits with it. */
export const EXIT_HELD_ELSEWHERE = 75;

/** How a job process is started: the CLI's module and the arguments each job gets. */
export interface LocalJobsOptions {
  /** The ablate CLI module each job runs (a file URL or path). */
  readonly cli: string;
  /** The command line of one sweep, without `--jobs`. */
  readonly args: readonly string[];
  /** Number of jobs, ≥ 2. */
  readonly jobs: number;
  /** Where prefixed lines go (default: stderr). */
  readonly write?: (line: string) => void;
}

/**
 * Runs `jobs` sweep processes of the same command at once and waits for all of them.
 * @param options the CLI module, one sweep's arguments and the number of jobs
 * @returns the sweep's exit status: 130 if a job was interrupted; 1 if a job failed; 75 if every job left
 *   runs to a process outside this group; otherwise 0
 * @example
 * ```ts
 * import { runLocalJobs } from "./_local_jobs.ts";
 * const code = await runLocalJobs({ cli: new URL("./ablate_cli.ts", import.meta.url).pathname, args: ["smoke"], jobs: 2 });
 * ```
 */
export async function runLocalJobs(options: LocalJobsOptions): Promise<number> {
  const { cli, args, jobs } = options;
  if (!Number.isInteger(jobs) || jobs < 2) throw new RangeError(`--jobs must be an integer >= 2 here: received ${jobs}`);
  if (args.includes("--jobs")) throw new TypeError(`A job's arguments must not hold --jobs: received ${args.join(" ")}`);
  const write = options.write ?? ((line: string) => console.error(line));
  const children: Deno.ChildProcess[] = [];
  const pumps: Promise<void>[] = [];
  for (let k = 0; k < jobs; k++) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--unstable-webgpu", "-A", cli, ...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    children.push(child);
    pumps.push(prefixLines(child.stdout, `[job ${k}] `, write), prefixLines(child.stderr, `[job ${k}] `, write));
  }
  // A terminal's Ctrl-C already reaches the jobs (same process group): this process only waits for them.
  const onSigint = () => write("Waiting for the jobs to checkpoint and stop…");
  const onSigterm = () => {
    for (const c of children) {
      try {
        c.kill("SIGTERM");
      } catch { /* already exited */ }
    }
  };
  Deno.addSignalListener("SIGINT", onSigint);
  Deno.addSignalListener("SIGTERM", onSigterm);
  try {
    const codes = (await Promise.all(children.map((c) => c.status))).map((s) => s.code);
    await Promise.all(pumps);
    return combinedExit(codes);
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
    Deno.removeSignalListener("SIGTERM", onSigterm);
  }
}

/**
 * The sweep's exit status from its jobs'.
 * @param codes each job's exit status
 * @returns 130 if any job was interrupted, 1 if any failed otherwise, 75 if every job left runs held
 *   elsewhere (by a process outside the group), else 0 (a job that left runs to a sibling is not a failure)
 * @example
 * ```ts
 * import { combinedExit } from "./_local_jobs.ts";
 * console.log(combinedExit([0, 75])); // 0
 * ```
 */
export function combinedExit(codes: readonly number[]): number {
  if (codes.includes(130)) return 130;
  if (codes.some((c) => c !== 0 && c !== EXIT_HELD_ELSEWHERE)) return 1;
  return codes.every((c) => c === EXIT_HELD_ELSEWHERE) ? EXIT_HELD_ELSEWHERE : 0;
}

/** Copies a stream line by line, each line prefixed. */
async function prefixLines(stream: ReadableStream<Uint8Array>, prefix: string, write: (line: string) => void): Promise<void> {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + chunk).split(/\r?\n|\r/);
    rest = parts.pop()!;
    for (const p of parts) if (p.length) write(prefix + p);
  }
  if (rest.length) write(prefix + rest);
}
