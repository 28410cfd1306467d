/**
 * The resources and policy of a Slurm sweep (`--partition`, `--time`,
 * `--cpus-per-run`, `--mem`, `--gpus-per-run`, `--max-parallel`,
 * `--extra-sbatch`, `--retries`), checked locally before anything touches the
 * cluster or the disk.
 */
import { shellQuote, splitShellWords } from "./_shell.ts";
import { parseSlurmTime } from "./parse_slurm_time.ts";

/** What the user asks of Slurm for each run. */
export interface SlurmOptions {
  /** Partition (queue); default: the cluster's default partition. */
  partition?: string;
  /** Time limit per run in Slurm's format ("HH:MM:SS", "D-HH:MM"…); default: the partition's. */
  time?: string;
  /** CPUs per run (`--cpus-per-task`); default 1. */
  cpusPerRun?: number;
  /** Memory per run (`--mem`, e.g. "8G"); default: the partition's. */
  mem?: string;
  /** GPUs per run (`--gres=gpu:N`); default 0. */
  gpusPerRun?: number;
  /** At most this many runs at once (`--array=…%K`); default: no limit. */
  maxParallel?: number;
  /** More sbatch options for every job of the sweep, e.g. `--account=lab --qos=short --comment "a b"`. */
  extraSbatch?: string;
  /** Re-submit a run that failed (or was killed) up to this many times; default 0. */
  retries?: number;
}

/** {@link SlurmOptions} after checking, with defaults filled in and extras split into words. */
export interface CheckedSlurmOptions {
  partition: string | null;
  time: string | null;
  /** The time limit in seconds (Infinity when none is set). */
  timeSeconds: number;
  cpusPerRun: number;
  mem: string | null;
  gpusPerRun: number;
  maxParallel: number | null;
  /** One `#SBATCH` directive per option, words already shell-quoted. */
  extraSbatch: string[];
  retries: number;
}

/** sbatch options the executor sets itself (a user value would break the run ↔ task ↔ log mapping). */
const RESERVED = ["--array", "-a", "--output", "-o", "--error", "-e", "--chdir", "-D", "--dependency", "-d", "--parsable", "--wrap"];

/**
 * @param options what the user asked for
 * @returns the checked options with defaults
 * @throws RangeError / TypeError naming the option, the value and what was expected
 * @example
 * ```ts
 * import { checkSlurmOptions } from "./check_slurm_options.ts";
 * const o = checkSlurmOptions({ time: "00:30:00", maxParallel: 4, extraSbatch: "--qos=short" });
 * o.timeSeconds; // 1800
 * o.extraSbatch; // ["--qos=short"]
 * ```
 */
export function checkSlurmOptions(options: SlurmOptions = {}): CheckedSlurmOptions {
  const int = (name: string, v: number | undefined, min: number, fallback: number) => {
    if (v === undefined) return fallback;
    if (!Number.isInteger(v) || v < min) throw new RangeError(`Option ${name} must be an integer >= ${min}, received ${v}`);
    return v;
  };
  const partition = options.partition ?? null;
  if (partition !== null && !/^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(partition)) {
    throw new RangeError(`Option --partition must be a partition name (letters, digits, _ . -; comma-separated for several), received "${partition}"`);
  }
  const time = options.time ?? null;
  const timeSeconds = time === null ? Infinity : parseSlurmTime(time);
  const mem = options.mem ?? null;
  if (mem !== null && !/^[1-9][0-9]*[KMGT]?$/i.test(mem)) {
    throw new RangeError(`Option --mem must be an amount like 8G, 500M or 16000 (MB), received "${mem}"`);
  }
  // One directive per option, its value either after "=" or in the following words.
  const groups: string[][] = [];
  for (const w of splitShellWords(options.extraSbatch ?? "")) {
    if (w.startsWith("-")) {
      const name = w.split("=")[0];
      if (RESERVED.includes(name)) {
        throw new TypeError(`Option --extra-sbatch cannot set ${name}: the executor sets it itself (received "${w}")`);
      }
      groups.push([w]);
    } else if (groups.length === 0) {
      throw new TypeError(`Option --extra-sbatch takes sbatch options such as "--qos=short --account=lab", received the word "${w}" first`);
    } else {
      groups.at(-1)!.push(w);
    }
  }
  const extraSbatch = groups.map((g) => g.map(shellQuote).join(" "));
  const maxParallel = options.maxParallel === undefined ? null : int("--max-parallel", options.maxParallel, 1, 1);
  return {
    partition,
    time,
    timeSeconds,
    cpusPerRun: int("--cpus-per-run", options.cpusPerRun, 1, 1),
    mem,
    gpusPerRun: int("--gpus-per-run", options.gpusPerRun, 0, 0),
    maxParallel,
    extraSbatch,
    retries: int("--retries", options.retries, 0, 0),
  };
}
