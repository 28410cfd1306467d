import assert from "node:assert/strict";
import { parseAblateArgs } from "../../../lib/workbench/ablate_cli.ts";
import { resolveRuns } from "../../../lib/workbench/experiment.ts";
import { SlurmUnavailableError, submitSlurmSweep } from "../../../lib/workbench/slurm/mod.ts";
import { ensureDebianPackages } from "../../../lib/io/mod.ts";
import { skipWhen } from "../../_skip.ts";

const runs = resolveRuns("probe", { question: "d", recipe: "defaults", overrides: {}, axes: { "train.lr": [1e-3, 2e-3] } });
const exists = (p: string) => Deno.stat(p).then(() => true, () => false);
// Installed is enough (without a slurm.conf even `sbatch --version` exits 1).
// (Deno.Command#output throws synchronously when the program is missing, hence the async wrapper.)
const hasSbatch = () =>
  (async () => await new Deno.Command("sbatch", { args: ["--version"], stdout: "null", stderr: "null" }).output())()
    .then(() => true, () => false);
/** Why sbatch cannot be had, or null; as root, installs the packages the local cluster tests use. */
async function slurmClientMissing(): Promise<string | null> {
  if (await hasSbatch()) return null;
  if (Deno.uid() !== 0) return "sbatch is not installed and installing it needs root (apt-get install -y slurm-client)";
  try {
    await ensureDebianPackages(["slurm-wlm", "munge"], "The Slurm tests");
  } catch (e) {
    return (e as Error).message;
  }
  return (await hasSbatch()) ? null : "sbatch is still missing after installing slurm-wlm";
}
const noSlurmClient = skipWhen(await slurmClientMissing(), { dependency: "Slurm (slurm-wlm)", installedByTestTask: Deno.uid() === 0 });

Deno.test("parseAblateArgs() reads the Slurm options and keeps the local defaults", () => {
  const local = parseAblateArgs(["smoke"]);
  assert.equal(local.executor, "local");
  assert.deepEqual(local.slurm, {});
  const a = parseAblateArgs([
    "smoke", "--executor", "slurm", "--partition", "gpu", "--time", "02:00:00", "--cpus-per-run", "4", "--mem", "8G",
    "--gpus-per-run", "1", "--max-parallel", "3", "--extra-sbatch", "--qos=short --account=lab", "--retries", "2",
    "--threads", "4",
  ]);
  assert.equal(a.executor, "slurm");
  assert.deepEqual(a.slurm, {
    partition: "gpu",
    time: "02:00:00",
    cpusPerRun: 4,
    mem: "8G",
    gpusPerRun: 1,
    maxParallel: 3,
    extraSbatch: "--qos=short --account=lab",
    retries: 2,
  });
  assert.equal(a.threads, 4);
  assert.equal(parseAblateArgs(["smoke", "--cancel"]).cancel, true);
  assert.equal(parseAblateArgs(["smoke", "--summarize"]).summarize, true);
  assert.equal(parseAblateArgs(["smoke", "--slurm-follow-up", "--results", "/r"]).followUp, true);
});

Deno.test("parseAblateArgs() rejects Slurm options without --executor slurm and unknown executors", () => {
  assert.throws(() => parseAblateArgs(["smoke", "--partition", "gpu"]), /--partition is a Slurm option: add --executor slurm/);
  assert.throws(() => parseAblateArgs(["smoke", "--executor", "k8s"]), /--executor must be local or slurm, received "k8s"/);
  assert.throws(() => parseAblateArgs(["smoke", "--executor", "slurm", "--max-parallel", "x"]), /--max-parallel must be an integer/);
  assert.throws(() => parseAblateArgs(["smoke", "--executor", "slurm", "--extra-sbatch"]), /--extra-sbatch needs a value/);
});

Deno.test("submitSlurmSweep() reports a missing sbatch before writing anything", async () => {
  const results = await Deno.makeTempDir();
  const empty = await Deno.makeTempDir();
  await assert.rejects(
    submitSlurmSweep("probe", runs, { results, env: { PATH: empty } }),
    (e: Error) => e instanceof SlurmUnavailableError && /"sbatch" is not on PATH/.test(e.message),
  );
  assert.equal(await exists(`${results}/probe`), false);
});

Deno.test({
  name: "submitSlurmSweep() reports an unreachable controller before writing anything",
  ignore: noSlurmClient,
}, async () => {
  const results = await Deno.makeTempDir();
  // A cluster whose controller port nobody listens on (a missing slurm.conf makes Slurm wait ~60 s on DNS instead).
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const conf = `${results}/slurm.conf`;
  await Deno.writeTextFile(
    conf,
    `ClusterName=down\nSlurmctldHost=${Deno.hostname().split(".")[0]}(127.0.0.1)\nSlurmctldPort=${port}\n` +
      `AuthType=auth/munge\nAuthInfo=socket=${results}/none.socket\nNodeName=n1 CPUs=1\nPartitionName=p Nodes=ALL Default=YES\n`,
  );
  await assert.rejects(
    submitSlurmSweep("probe", runs, { results, env: { SLURM_CONF: conf } }),
    (e: Error) => e instanceof SlurmUnavailableError && /no controller answers `scontrol ping`.*DOWN/.test(e.message),
  );
  assert.equal(await exists(`${results}/probe`), false);
});

Deno.test("submitSlurmSweep() rejects a bad time limit and a changed experiment before asking Slurm", async () => {
  const results = await Deno.makeTempDir();
  const empty = await Deno.makeTempDir();
  // PATH without Slurm: reaching Slurm would be a SlurmUnavailableError, not these.
  await assert.rejects(submitSlurmSweep("probe", runs, { results, time: "2 hours", env: { PATH: empty } }), RangeError);
  await Deno.mkdir(`${results}/probe/${runs[1].id}`, { recursive: true });
  const other = { ...runs[1].config, seed: 99 };
  await Deno.writeTextFile(`${results}/probe/${runs[1].id}/config.json`, JSON.stringify({ config: other }));
  await assert.rejects(
    submitSlurmSweep("probe", runs, { results, env: { PATH: empty } }),
    /Run folder .*1-lr=0\.002 holds a different config/,
  );
  assert.equal(await exists(`${results}/probe/slurm`), false);
});
