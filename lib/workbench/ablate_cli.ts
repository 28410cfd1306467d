/**
 * `deno task ablate <experiment>`: runs a sweep from `experiments/<name>.ts`.
 * `deno task ablate:run <experiment> --index I`: runs one run of it (the
 * entry point every executor uses, so a run is identical wherever it runs).
 *
 * With `--executor slurm` the sweep is submitted to a Slurm cluster as one job
 * array instead (lib/workbench/slurm), each task running that same entry point.
 *
 * Bad input (unknown experiment, unknown key, value out of range) is reported
 * before anything is written.
 */
import { initEngine } from "../engine/mod.ts";
import { configDiff, type Experiment, type Recipes, resolveRecipe, resolveRuns, type ResolvedRun } from "./experiment.ts";
import type { RunConfig } from "./run_config.ts";
import { didYouMean } from "./_did_you_mean.ts";
import { gitInfo, type RunEnvironment } from "./run_folder.ts";
import { nonNegativeInteger, optionValue } from "./_cli_args.ts";
import { runSweep, sweepStatus } from "./run_sweep.ts";
import { LockFile } from "../io/lock_file.ts";
import { writeSummary } from "./write_summary.ts";
import { EXIT_HELD_ELSEWHERE, runLocalJobs } from "./_local_jobs.ts";
import {
  cancelSlurmSweep,
  type SlurmOptions,
  slurmFollowUp,
  slurmStatus,
  type SlurmSweepStatus,
  submitSlurmSweep,
} from "./slurm/mod.ts";

const ROOT = new URL("../../", import.meta.url);
const EXPERIMENTS = new URL("experiments/", ROOT);

const HELP = `Usage:
  deno task ablate <experiment> [options]     run a sweep (finished runs are skipped, interrupted ones resume)
  deno task ablate --list                     list the experiments
  deno task ablate <experiment> --dry-run     print the resolved runs, run nothing
  deno task ablate <experiment> --show        print each run's resolved config, one JSON object a line: {"id", "config"}
  deno task ablate <experiment> --diff        print what each run changes from its recipe: {"id", "recipe", "diff": {path: value}}
  deno task ablate <experiment> --status      show each run's state
  deno task ablate:run <experiment> --index I run one run of a sweep
  deno task ablate <experiment> --executor slurm [slurm options]   submit the sweep to Slurm as one job array
  deno task ablate <experiment> --cancel      cancel the sweep's Slurm jobs
  deno task ablate <experiment> --summarize   (re)write results/<experiment>/summary.parquet from the run folders

Options:
  --backend NAME   auto | webgpu | tensorflow | blas | wasm | cpu   (overrides engine.backend; env WORKBENCH_BACKEND too)
  --threads N      threads for the blas backend
  --results DIR    results root (default: results/)
  --only I,J       run only these run indices
  --index I        (ablate:run) the run index
  --executor NAME  local (default: runs here, one after another) | slurm
  --jobs K         (local) K sweep processes at once, sharing the runs through their locks (with --threads T,
                   K × T cores); each run trains as in one sweep, with the same losses
  --help           this text

Slurm options (with --executor slurm; see README "Sweeps on a Slurm cluster"):
  --partition P        partition (default: the cluster's default)
  --time T             time limit per run, e.g. 02:00:00 or 1-00:00:00; runs get SIGINT before it and checkpoint
  --cpus-per-run N     CPUs per run (--cpus-per-task; default 1; pair with --threads N for the blas backend)
  --mem M              memory per run, e.g. 8G
  --gpus-per-run N     GPUs per run (--gres=gpu:N)
  --max-parallel K     at most K runs at once (--array=…%K)
  --extra-sbatch "…"   more sbatch options for every job, e.g. "--account=lab --qos=short"
  --retries N          re-submit runs that failed or were killed, up to N times (default 0)
  --status and --cancel use results/<experiment>/slurm/jobs.json; --slurm-follow-up is what the follow-up job runs.

Ctrl-C stops cleanly after the current step and checkpoints; run the same command again to resume.
Each run is locked while it runs (<run>/lock.json): a run another process holds is skipped and listed at the
end, and the exit status is then 75; --status shows who holds each run, and stale locks.`;

/** Parsed command line. */
interface Args {
  name?: string;
  list: boolean;
  help: boolean;
  dryRun: boolean;
  show: boolean;
  diff: boolean;
  status: boolean;
  single: boolean;
  cancel: boolean;
  summarize: boolean;
  followUp: boolean;
  executor: "local" | "slurm";
  slurm: SlurmOptions;
  backend?: string;
  threads?: number;
  results: string;
  only?: number[];
  jobs: number;
}

/**
 * @param argv command-line arguments
 * @returns the parsed options
 */
export function parseAblateArgs(argv: readonly string[]): Args {
  const a: Args = {
    list: false,
    help: false,
    dryRun: false,
    show: false,
    diff: false,
    status: false,
    single: false,
    cancel: false,
    summarize: false,
    followUp: false,
    executor: "local",
    slurm: {},
    results: "results",
    jobs: 1,
  };
  const slurmFlags: string[] = [];
  const value = (i: number, flag: string) => optionValue(argv, i, flag);
  const integer = nonNegativeInteger;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case "--list": a.list = true; break;
      case "--help": case "-h": a.help = true; break;
      case "--dry-run": a.dryRun = true; break;
      case "--show": a.show = true; break;
      case "--diff": a.diff = true; break;
      case "--status": a.status = true; break;
      case "--single": a.single = true; break;
      case "--backend": a.backend = value(i++, arg); break;
      case "--threads": a.threads = integer(value(i++, arg), arg); break;
      case "--results": a.results = value(i++, arg); break;
      case "--jobs": {
        a.jobs = integer(value(i++, arg), arg);
        if (a.jobs < 1) throw new RangeError(`Option --jobs must be at least 1, received ${a.jobs}`);
        break;
      }
      case "--only": a.only = value(i++, arg).split(",").map((s) => integer(s, arg)); break;
      case "--index": a.only = [integer(value(i++, arg), arg)]; a.single = true; break;
      case "--executor": {
        const v = value(i++, arg);
        if (v !== "local" && v !== "slurm") throw new RangeError(`Option --executor must be local or slurm, received "${v}"`);
        a.executor = v;
        break;
      }
      case "--cancel": a.cancel = true; break;
      case "--summarize": a.summarize = true; break;
      case "--slurm-follow-up": a.followUp = true; break;
      case "--partition": a.slurm.partition = value(i++, arg); slurmFlags.push(arg); break;
      case "--time": a.slurm.time = value(i++, arg); slurmFlags.push(arg); break;
      case "--mem": a.slurm.mem = value(i++, arg); slurmFlags.push(arg); break;
      case "--cpus-per-run": a.slurm.cpusPerRun = integer(value(i++, arg), arg); slurmFlags.push(arg); break;
      case "--gpus-per-run": a.slurm.gpusPerRun = integer(value(i++, arg), arg); slurmFlags.push(arg); break;
      case "--max-parallel": a.slurm.maxParallel = integer(value(i++, arg), arg); slurmFlags.push(arg); break;
      case "--retries": a.slurm.retries = integer(value(i++, arg), arg); slurmFlags.push(arg); break;
      case "--extra-sbatch": {
        // Its value is sbatch options, so it starts with "--" itself.
        const v = argv[++i];
        if (v === undefined) throw new TypeError(`Option --extra-sbatch needs a value, e.g. --extra-sbatch "--qos=short"`);
        a.slurm.extraSbatch = v;
        slurmFlags.push(arg);
        break;
      }
      default:
        if (arg.startsWith("-")) throw new TypeError(`Unknown option "${arg}"; see --help`);
        if (a.name) throw new TypeError(`Only one experiment name is accepted, received "${a.name}" and "${arg}"`);
        a.name = arg;
    }
  }
  if (a.jobs > 1 && (a.executor !== "local" || a.single)) {
    throw new TypeError(`Option --jobs runs a local sweep in several processes: it does not combine with ${a.single ? "--index/--single" : "--executor slurm"}`);
  }
  if (slurmFlags.length && a.executor !== "slurm") {
    throw new TypeError(`Option ${slurmFlags[0]} is a Slurm option: add --executor slurm`);
  }
  return a;
}

/** @returns the experiment names in experiments/ (sorted) */
export async function listExperiments(): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(EXPERIMENTS)) {
    if (e.isFile && e.name.endsWith(".ts") && !e.name.startsWith("_")) names.push(e.name.slice(0, -3));
  }
  return names.sort();
}

/**
 * Loads and resolves an experiment by name, its recipe looked up in
 * experiments/_recipes.ts.
 * @param name experiment file stem
 * @returns the experiment, its recipe's resolved config and its runs
 */
export async function loadExperiment(name: string): Promise<{ experiment: Experiment; recipe: RunConfig; runs: ResolvedRun[] }> {
  const known = await listExperiments();
  if (!/^[A-Za-z0-9_-]+$/.test(name) || !known.includes(name)) {
    const near = didYouMean(name, known);
    throw new RangeError(
      `Unknown experiment "${name}"${near ? ` (did you mean "${near}"?)` : ""}. Known experiments: ${known.join(", ")}`,
    );
  }
  const mod = await import(new URL(`${name}.ts`, EXPERIMENTS).href);
  const { RECIPES } = await import(new URL("_recipes.ts", EXPERIMENTS).href) as { RECIPES: Recipes };
  const experiment = mod.default as Experiment;
  return { experiment, recipe: resolveRecipe(name, experiment, RECIPES), runs: resolveRuns(name, experiment, RECIPES) };
}

async function main(argv: string[]): Promise<number> {
  const args = parseAblateArgs(argv);
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  if (args.list) {
    for (const name of await listExperiments()) {
      try {
        const { experiment, runs } = await loadExperiment(name);
        console.log(`${name.padEnd(18)} ${String(runs.length).padStart(3)} runs  ${experiment.question}`);
      } catch (e) {
        console.log(`${name.padEnd(18)}   ! ${(e as Error).message}`);
      }
    }
    return 0;
  }
  if (!args.name) {
    console.error(HELP);
    return 2;
  }
  const { experiment, recipe, runs } = await loadExperiment(args.name);
  if (args.backend) for (const r of runs) r.config.engine.backend = args.backend as typeof r.config.engine.backend;
  if (args.threads) for (const r of runs) r.config.engine.threads = args.threads;
  if (args.only) {
    for (const i of args.only) {
      if (i >= runs.length) throw new RangeError(`Run index ${i} is out of range: "${args.name}" has ${runs.length} runs (0..${runs.length - 1})`);
    }
  }
  const dir = `${args.results}/${args.name}`;
  if (args.show || args.diff) {
    for (const line of showRuns(experiment.recipe, recipe, args.only ? runs.filter((r) => args.only!.includes(r.index)) : runs, args)) {
      console.log(line);
    }
    return 0;
  }
  if (args.dryRun) {
    for (const r of runs) console.log(JSON.stringify({ index: r.index, id: r.id, overrides: r.overrides }));
    return 0;
  }
  if (args.summarize) {
    console.log(await writeSummary(dir, runs) ?? `no run of "${args.name}" has finished: no summary written`);
    return 0;
  }
  if (args.followUp) {
    await slurmFollowUp(args.name, runs, { results: args.results });
    return 0;
  }
  if (args.cancel) {
    const ids = await cancelSlurmSweep(args.name, { results: args.results });
    console.log(ids.length ? `cancelled Slurm job(s) ${ids.join(", ")}` : `no Slurm job of "${args.name}" was queued or running`);
    return 0;
  }
  const slurmSubmitted = await Deno.stat(`${dir}/slurm/jobs.json`).then(() => true, () => false);
  if (args.status && (args.executor === "slurm" || slurmSubmitted)) {
    printSlurmStatus(args.name, await slurmStatus(args.name, runs, { results: args.results }));
    return 0;
  }
  if (args.status) {
    for (const s of await sweepStatus(dir, runs)) {
      console.log(`${s.state.padEnd(12)} ${s.id}${s.error ? `  ${s.error}` : ""}${s.lock ? `\n${" ".repeat(13)}${s.lock}` : ""}`);
    }
    return 0;
  }
  if (args.executor === "slurm") {
    const threads = runs[0].config.engine.threads;
    if ((args.slurm.cpusPerRun ?? 1) > threads) {
      console.error(`note: runs use engine.threads=${threads}; pass --threads ${args.slurm.cpusPerRun} to use every CPU of a run`);
    }
    const forward = [
      ...(args.backend ? ["--backend", args.backend] : []),
      ...(args.threads ? ["--threads", String(args.threads)] : []),
    ];
    const selected = args.only ? runs.filter((r) => args.only!.includes(r.index)) : runs;
    await submitSlurmSweep(args.name, selected, { ...args.slurm, results: args.results, forward });
    return 0;
  }
  if (args.jobs > 1) {
    const jobs = argv.filter((_, i) => argv[i] !== "--jobs" && argv[i - 1] !== "--jobs");
    return await runLocalJobs({ cli: new URL(import.meta.url).pathname, args: jobs, jobs: args.jobs });
  }
  const cfg0 = runs[0].config.engine;
  const engine = await initEngine({ backend: cfg0.backend, threads: cfg0.threads, verbose: true });
  const git = await gitInfo();
  const env: RunEnvironment = {
    backend: engine.backend,
    threads: engine.threads,
    engine_notes: engine.notes,
    git_commit: git.commit,
    git_dirty: git.dirty,
    deno: Deno.version.deno,
    host: Deno.hostname(),
    ...(engine.adapter ? { adapter: engine.adapter } : {}),
  };
  let stopRequested = false;
  const onSigint = () => {
    if (stopRequested) Deno.exit(130);
    stopRequested = true;
    console.error("\nStopping after the current step (Ctrl-C again to abort now)…");
  };
  Deno.addSignalListener("SIGINT", onSigint);
  // scancel and kill send SIGTERM: give the run's lock back at once, so a resubmitted run need not wait out its lease.
  const onSigterm = () => {
    LockFile.releaseAll();
    Deno.exit(143);
  };
  Deno.addSignalListener("SIGTERM", onSigterm);
  try {
    const res = await runSweep(args.name, runs, {
      dir,
      env,
      only: args.only,
      // Loaded here so --help, --list and bad input answer without loading the model stack.
      execute: (await import("./run_pipeline.ts")).runPipeline,
      shouldStop: () => stopRequested,
    });
    const failed = res.states.filter((s) => s.state === "failed");
    if (res.summaryPath) console.error(`summary: ${res.summaryPath}`);
    if (res.interrupted) return 130;
    if (failed.length) {
      console.error(`${failed.length} run(s) failed: ${failed.map((f) => f.id).join(", ")}`);
      return 1;
    }
    return res.heldElsewhere.length ? EXIT_HELD_ELSEWHERE : 0;
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
    Deno.removeSignalListener("SIGTERM", onSigterm);
  }
}

/**
 * The lines of `--show` (each run's resolved config) or `--diff` (what each
 * run changes from its recipe's resolved config), one JSON object a line.
 * @param recipeName the experiment's recipe
 * @param recipe the recipe's resolved config
 * @param runs the runs to print
 * @param options `diff` for `--diff`
 * @returns the lines
 * @example
 * ```ts
 * import { showRuns } from "./ablate_cli.ts";
 * import { resolveRecipe, resolveRuns } from "./experiment.ts";
 * const exp = { question: "q", recipe: "defaults", overrides: {}, axes: { "train.lr": [2e-3] } };
 * showRuns("defaults", resolveRecipe("t", exp), resolveRuns("t", exp), { diff: true });
 * // ['{"id":"0-lr=0.002","recipe":"defaults","diff":{"train.lr":0.002}}']
 * ```
 */
export function showRuns(recipeName: string, recipe: RunConfig, runs: readonly ResolvedRun[], options: { diff?: boolean } = {}): string[] {
  return runs.map((r) =>
    JSON.stringify(options.diff ? { id: r.id, recipe: recipeName, diff: configDiff(recipe, r.config) } : { id: r.id, config: r.config })
  );
}

function printSlurmStatus(name: string, st: SlurmSweepStatus): void {
  if (st.submittedAt) {
    const jobs = st.jobs.map((j) => `${j.kind} ${j.id}${j.attempt ? ` (retry ${j.attempt})` : ""}: ${j.state}`).join("; ");
    console.log(`${name}: submitted to Slurm ${st.submittedAt}; ${jobs}`);
  } else {
    console.log(`${name}: not submitted to Slurm`);
  }
  if (st.slurmError) console.log(`  (Slurm unreachable, states from the run folders only: ${st.slurmError})`);
  else if (!st.accounting) console.log("  (no Slurm accounting: states from squeue and the run folders)");
  if (st.cancelledAt) console.log(`  cancelled ${st.cancelledAt}`);
  for (const r of st.runs) {
    const job = r.job ? `  job ${r.job}${r.slurm ? ` ${r.slurm}` : ""}` : "";
    const more = [r.error, r.lock].filter(Boolean).map((l) => `\n${" ".repeat(13)}${l}`).join("");
    console.log(`${r.state.padEnd(12)} ${r.id}${job}${r.log ? `  log ${r.log}` : ""}${more}`);
  }
  const done = st.runs.filter((r) => r.state === "done").length;
  console.log(`${done}/${st.runs.length} done${st.summaryPath ? `; summary: ${st.summaryPath}` : ""}`);
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    Deno.exit(2);
  }
}
