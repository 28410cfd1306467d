/**
 * A stand-in for ablate_cli.ts in the Slurm tests: the same two modes the
 * jobs call (`--index I` runs one run through runSweep; `--slurm-follow-up`
 * runs slurmFollowUp), for a tiny experiment given as a JSON spec, with an
 * executor that takes milliseconds and can be told to fail or to sleep.
 *
 *   deno run -A _probe_cli.ts <spec.json> --results DIR (--index I | --slurm-follow-up)
 *
 * spec.json: { name, experiment, calls: file each run appends its index to,
 *   fail?: file listing indices that must fail (the "bug"), sleepS?: seconds a run takes }
 */
import { type Experiment, resolveRuns } from "../../../lib/workbench/experiment.ts";
import { runSweep } from "../../../lib/workbench/run_sweep.ts";
import { slurmFollowUp } from "../../../lib/workbench/slurm/mod.ts";

interface ProbeSpec {
  name: string;
  experiment: Experiment;
  calls: string;
  fail?: string;
  sleepS?: number;
}

const [specPath, ...rest] = Deno.args;
const spec = JSON.parse(await Deno.readTextFile(specPath)) as ProbeSpec;
const results = rest[rest.indexOf("--results") + 1];
const runs = resolveRuns(spec.name, spec.experiment);

if (rest.includes("--slurm-follow-up")) {
  await slurmFollowUp(spec.name, runs, { results });
  Deno.exit(0);
}
const index = Number(rest[rest.indexOf("--index") + 1]);
const res = await runSweep(spec.name, runs, {
  dir: `${results}/${spec.name}`,
  only: [index],
  env: { backend: "none", threads: 1, engine_notes: [], git_commit: "probe", git_dirty: false, deno: Deno.version.deno, host: Deno.hostname() },
  execute: async (run) => {
    await Deno.writeTextFile(spec.calls, `${run.index}\n`, { append: true });
    const failing = spec.fail ? await Deno.readTextFile(spec.fail).catch(() => "") : "";
    if (failing.split(/\s+/).includes(String(run.index))) throw new RangeError(`injected failure of run ${run.index}`);
    if (spec.sleepS) await new Promise((r) => setTimeout(r, spec.sleepS! * 1000));
    return { interrupted: false, metrics: { value: run.index * 10, lr: run.config.task === "pretrain" ? run.config.train.lr : null } };
  },
});
// As ablate_cli: 75 when the run was left to another process that holds it.
Deno.exit(res.states.some((s) => s.state === "failed") ? 1 : res.heldElsewhere.length ? 75 : 0);
