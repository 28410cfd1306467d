/**
 * Starts a run of one experiment from another run's resume checkpoint, where
 * that is exactly the same computation as training it from scratch: the two
 * resolved configs may differ only in `train.steps` (longer) and
 * `eval.keptSteps.steps`, and the learning-rate schedule must be constant after
 * warmup (so every step before the branch point saw the same learning rate).
 * The resume checkpoint carries the weights, the optimizer state, the step,
 * the data position and the PRNG state, so the branched run continues
 * bit for bit as a from-scratch run of its own config would (runs are
 * deterministic: tests/workbench/run_pipeline_test.ts).
 *
 * Copies the source's checkpoints/, metrics.jsonl and memory.json into the
 * target run folder, keeps the source's final checkpoint as a kept step when
 * the target keeps that step, and writes `branched_from.json` (source run,
 * step, SHA-256 of the checkpoint). Then run the target as usual:
 * `deno task ablate:run <experiment> --index I`.
 *
 * Usage:
 *   deno run -A tools/probes/branch_run.ts SOURCE_RUN_DIR <experiment> --index I [--results results]
 */
import { parseArgs } from "node:util";
import { atomicWrite } from "../../lib/io/atomic_write.ts";
import { sha256Hex } from "../../lib/io/sha256_hex.ts";
import { configDiff, type Experiment, type ResolvedRun, resolveRuns } from "../../lib/workbench/experiment.ts";
import { migrateRunConfig } from "../../lib/workbench/migrate_run_config.ts";

/** Where a branched run came from (its `branched_from.json`). */
export interface BranchRecord {
  /** The source run folder. */
  from: string;
  /** The step the source stopped at, where the branch continues. */
  step: number;
  /** SHA-256 of the resume checkpoint the branch continues from. */
  checkpoint_sha256: string;
}

/**
 * @param source a finished animate run folder (config.json, status.json "done", checkpoints/dit.safetensors)
 * @param run the resolved run to start from it (its config may differ only in train.steps, more, and eval.keptSteps.steps)
 * @param dir the target run folder, which must not exist
 * @returns the record written to `<dir>/branched_from.json`
 * @throws {RangeError} when the branch would not equal a from-scratch run of `run`
 * @example
 * ```ts
 * // const record = await branchRun("results/a/0-seed=0", runs[0], "results/b/0-seed=0");
 * // then: deno task ablate:run b --index 0
 * ```
 */
export async function branchRun(source: string, run: ResolvedRun, dir: string): Promise<BranchRecord> {
  const from = migrateRunConfig(JSON.parse(await Deno.readTextFile(`${source}/config.json`)).config);
  const to = run.config;
  if (from.task !== "animate" || to.task !== "animate") {
    throw new RangeError(`Cannot branch: both runs must be animate runs, received "${from.task}" and "${to.task}"`);
  }
  const status = JSON.parse(await Deno.readTextFile(`${source}/status.json`)) as { state: string };
  if (status.state !== "done") throw new RangeError(`Cannot branch from ${source}: its state is "${status.state}", expected "done"`);
  const other = Object.keys(configDiff(from, to)).filter((k) => k !== "train.steps" && k !== "eval.keptSteps.steps");
  if (other.length > 0) {
    throw new RangeError(`Cannot branch ${source} into ${dir}: the configs differ in ${other.join(", ")} (only train.steps and eval.keptSteps.steps may)`);
  }
  if (from.train.schedule.kind !== "constant") {
    throw new RangeError(`Cannot branch from ${source}: its learning-rate schedule is "${from.train.schedule.kind}", expected "constant" (a decaying schedule depends on the total steps)`);
  }
  const step = from.train.steps;
  if (!(to.train.steps > step)) {
    throw new RangeError(`Cannot branch: the target trains ${to.train.steps} steps, expected more than the source's ${step}`);
  }
  if (await Deno.stat(dir).then(() => true, () => false)) {
    throw new RangeError(`Cannot branch into ${dir}: it exists (delete it to branch again)`);
  }
  await Deno.mkdir(`${dir}/checkpoints`, { recursive: true });
  for await (const e of Deno.readDir(`${source}/checkpoints`)) {
    if (e.isFile) await Deno.copyFile(`${source}/checkpoints/${e.name}`, `${dir}/checkpoints/${e.name}`);
  }
  const resume = `${dir}/checkpoints/dit.safetensors`;
  if (to.eval.keptSteps?.steps.includes(step)) await Deno.copyFile(resume, `${dir}/checkpoints/dit-step${step}.safetensors`);
  await Deno.copyFile(`${source}/metrics.jsonl`, `${dir}/metrics.jsonl`);
  await Deno.copyFile(`${source}/memory.json`, `${dir}/memory.json`).catch(() => {});
  const record: BranchRecord = { from: source, step, checkpoint_sha256: await sha256Hex(await Deno.readFile(resume)) };
  await atomicWrite(`${dir}/branched_from.json`, JSON.stringify(record, null, 2) + "\n");
  return record;
}

if (import.meta.main) {
  const { positionals, values: a } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: { index: { type: "string" }, results: { type: "string", default: "results" } },
  });
  const [source, experiment] = positionals;
  if (!source || !experiment || a.index === undefined) {
    throw new RangeError("Usage: branch_run.ts SOURCE_RUN_DIR <experiment> --index I [--results DIR]");
  }
  const exp = (await import(new URL(`../../experiments/${experiment}.ts`, import.meta.url).href)).default as Experiment;
  const runs = resolveRuns(experiment, exp);
  const run = runs[Number(a.index)];
  if (!run) throw new RangeError(`Cannot branch: ${experiment} has runs 0..${runs.length - 1}, received --index ${a.index}`);
  const dir = `${a.results}/${experiment}/${run.id}`;
  console.log(JSON.stringify({ run: dir, ...(await branchRun(source, run, dir)) }));
}
