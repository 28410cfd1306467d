/**
 * The Slurm executor against a real one-node Slurm cluster (slurm-wlm +
 * munge) started in a temporary folder for each test and stopped after it.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { type Experiment, resolveRuns } from "../../../lib/workbench/experiment.ts";
import { readJson, type RunStatus } from "../../../lib/workbench/run_folder.ts";
import {
  cancelSlurmSweep,
  type LocalCluster,
  type SlurmJobsFile,
  slurmStatus,
  startLocalCluster,
  submitSlurmSweep,
} from "../../../lib/workbench/slurm/mod.ts";
import { runSweep } from "../../../lib/workbench/run_sweep.ts";
import { holdRunLock, testEnv } from "../_fixtures.ts";
import { skipWhen } from "../../_skip.ts";

const root = new URL("../../../", import.meta.url).pathname;
const probeCli = new URL("./_probe_cli.ts", import.meta.url).pathname;

// Skipped only where Slurm can be neither found nor installed (not root).
// (Deno.Command#output throws synchronously when the program is missing, hence the async wrapper.)
const haveSlurm = await (async () => (await new Deno.Command("slurmctld", { args: ["-V"], stdout: "null", stderr: "null" }).output()).success)()
  .catch(() => false);
const isRoot = Deno.uid() === 0;
const ignore = skipWhen(
  !haveSlurm && !isRoot
    ? "slurm-wlm/munge are not installed and installing them needs root (apt-get install -y slurm-wlm munge)"
    : null,
);

const exists = (p: string) => Deno.stat(p).then(() => true, () => false);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` with a fresh cluster and a scratch folder, both removed afterwards. */
async function withCluster(fn: (c: LocalCluster, tmp: string) => Promise<void>): Promise<void> {
  const cluster = await startLocalCluster();
  const tmp = await Deno.makeTempDir({ prefix: "wb-slurm-test-" });
  try {
    await fn(cluster, tmp);
  } finally {
    await cluster.stop();
    await Deno.remove(tmp, { recursive: true });
  }
}

/** Waits until the sweep's current submission has finished (its last follow-up ran) or was cancelled. */
async function waitFinished(dir: string, timeoutS: number): Promise<SlurmJobsFile> {
  const deadline = Date.now() + timeoutS * 1000;
  while (Date.now() < deadline) {
    const f = await readJson<SlurmJobsFile>(`${dir}/slurm/jobs.json`);
    if (f?.sweeps.at(-1)?.finished_at) return f;
    await sleep(250);
  }
  const logs = [];
  for await (const e of Deno.readDir(`${dir}/slurm`)) {
    if (e.name.endsWith(".out")) logs.push(`${e.name}:\n${await Deno.readTextFile(`${dir}/slurm/${e.name}`)}`);
  }
  throw new Error(`Sweep ${dir} did not finish within ${timeoutS} s. Logs:\n${logs.join("\n")}`);
}

/** A tiny experiment whose runs take milliseconds (tests/workbench/slurm/_probe_cli.ts). */
async function probe(tmp: string, extra: { fail?: number[]; sleepS?: number } = {}) {
  const experiment: Experiment = { question: "probe", recipe: "defaults", overrides: {}, axes: { "train.lr": [1e-3, 2e-3, 3e-3] } };
  const spec = {
    name: "probe",
    experiment,
    calls: `${tmp}/calls.txt`,
    fail: `${tmp}/fail.txt`,
    sleepS: extra.sleepS,
  };
  if (extra.fail) await Deno.writeTextFile(spec.fail, extra.fail.join("\n"));
  await Deno.writeTextFile(`${tmp}/probe.json`, JSON.stringify(spec));
  const calls = async () => (await Deno.readTextFile(spec.calls).catch(() => "")).split("\n").filter(Boolean).map(Number);
  return { runs: resolveRuns("probe", experiment), entry: [Deno.execPath(), "run", "-A", probeCli, `${tmp}/probe.json`], spec, calls };
}

Deno.test({ name: "startLocalCluster() runs a job array and stop() ends exactly the daemons it started", ignore }, async () => {
  const cluster = await startLocalCluster();
  const pids = ["munged", "slurmctld", "slurmd"].map((d) => Number(Deno.readTextFileSync(`${cluster.dir}/${d}.pid`).trim()));
  try {
    const out = `${cluster.dir}/task-%a.out`;
    const sub = await new Deno.Command("sbatch", {
      args: ["--parsable", "--array=0-1", `--output=${out}`, "--wrap", "echo task $SLURM_ARRAY_TASK_ID"],
      env: cluster.env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(sub.success, new TextDecoder().decode(sub.stderr));
    // The two array tasks finish in either order: wait until both have written their line.
    const written = async (task: number) => (await Deno.readTextFile(`${cluster.dir}/task-${task}.out`).catch(() => "")) !== "";
    for (let i = 0; i < 150 && !((await written(0)) && (await written(1))); i++) await sleep(200);
    assert.equal((await Deno.readTextFile(`${cluster.dir}/task-0.out`)).trim(), "task 0");
    assert.equal((await Deno.readTextFile(`${cluster.dir}/task-1.out`)).trim(), "task 1");
  } finally {
    await cluster.stop();
  }
  // An exited daemon may linger as a zombie until init reaps it: "Z" counts as stopped.
  const running = (pid: number) => Deno.readTextFile(`/proc/${pid}/stat`).then((t) => !/\) [ZX] /.test(t), () => false);
  for (const pid of pids) assert.equal(await running(pid), false, `daemon ${pid} still running`);
  assert.equal(await exists(cluster.dir), false);
});

Deno.test({ name: "submitSlurmSweep() rejects an unknown partition and a job the cluster cannot run, writing nothing", ignore }, async () => {
  await withCluster(async (cluster, tmp) => {
    const p = await probe(tmp);
    const opts = { results: `${tmp}/results`, entry: p.entry, env: cluster.env, log: () => {} };
    await assert.rejects(
      submitSlurmSweep("probe", p.runs, { ...opts, partition: "nope" }),
      /unknown Slurm partition "nope"; the cluster has: debug/,
    );
    await assert.rejects(submitSlurmSweep("probe", p.runs, { ...opts, gpusPerRun: 1 }), /Slurm rejects the job array.*gres/);
    await assert.rejects(submitSlurmSweep("probe", p.runs, { ...opts, cpusPerRun: 64 }), /Slurm rejects the job array/);
    await assert.rejects(submitSlurmSweep("probe", p.runs, { ...opts, time: "1h" }), /"1h" as a Slurm time limit/);
    assert.equal(await exists(`${tmp}/results`), false);
  });
});

Deno.test({
  name: "a failing run is retried, then reported failed with its log while the others finish; resubmitting after the fix runs only it",
  ignore,
}, async () => {
  await withCluster(async (cluster, tmp) => {
    const p = await probe(tmp, { fail: [1] });
    const results = `${tmp}/results`;
    const dir = `${results}/probe`;
    const opts = { results, entry: p.entry, env: cluster.env, log: () => {} };

    const sub = await submitSlurmSweep("probe", p.runs, { ...opts, retries: 1 });
    assert.deepEqual(sub.submitted, p.runs.map((r) => r.id));
    const script = await Deno.readTextFile(sub.attempt!.script);
    assert.match(script, /^#SBATCH --array=0-2$/m);
    let jobs = await waitFinished(dir, 90);
    const attempts = jobs.sweeps[0].attempts;
    assert.deepEqual(attempts.map((a) => a.indices), [[0, 1, 2], [1]], "run 1 retried once, alone");
    assert.deepEqual((await p.calls()).sort(), [0, 1, 1, 2]);

    let st = await slurmStatus("probe", p.runs, { results, env: cluster.env });
    assert.equal(st.accounting, false, "the test cluster has no accounting: squeue + run folders");
    assert.deepEqual(st.runs.map((r) => r.state), ["done", "failed", "done"]);
    const failed = st.runs[1];
    assert.equal(failed.job, `${attempts[1].array_job}_1`);
    assert.equal(failed.attempt, 1);
    assert.equal(failed.slurm, "FAILED (NonZeroExitCode)");
    assert.equal(failed.error, "RangeError: injected failure of run 1");
    assert.equal(failed.log, `${dir}/slurm/slurm-${attempts[1].array_job}_1.out`);
    assert.match(await Deno.readTextFile(failed.log!), /FAILED: injected failure of run 1/);
    // The run folder links its latest log.
    assert.equal(await Deno.readLink(`${dir}/${p.runs[1].id}/slurm.out`), `../slurm/slurm-${attempts[1].array_job}_1.out`);
    assert.deepEqual(pl.readParquet(`${dir}/summary.parquet`).getColumn("value").toArray(), [0, 20]);

    // The fix, then the same command again: only run 1 is submitted.
    await Deno.remove(p.spec.fail);
    const again = await submitSlurmSweep("probe", p.runs, opts);
    assert.deepEqual(again.submitted, [p.runs[1].id]);
    assert.deepEqual(again.skipped, [p.runs[0].id, p.runs[2].id]);
    jobs = await waitFinished(dir, 60);
    assert.equal(jobs.sweeps.length, 2);
    assert.deepEqual(jobs.sweeps[1].attempts.map((a) => a.indices), [[1]]);
    assert.deepEqual((await p.calls()).sort(), [0, 1, 1, 1, 2]);
    st = await slurmStatus("probe", p.runs, { results, env: cluster.env });
    assert.deepEqual(st.runs.map((r) => r.state), ["done", "done", "done"]);
    assert.equal(st.summaryPath, `${dir}/summary.parquet`);
    assert.deepEqual(pl.readParquet(`${dir}/summary.parquet`).getColumn("value").toArray(), [0, 10, 20]);
  });
});

Deno.test({ name: "cancelSlurmSweep() cancels queued and running runs; a sweep with live jobs is not submitted twice", ignore }, async () => {
  await withCluster(async (cluster, tmp) => {
    const p = await probe(tmp, { sleepS: 120 });
    const results = `${tmp}/results`;
    const dir = `${results}/probe`;
    const opts = { results, entry: p.entry, env: cluster.env, log: () => {} };
    const sub = await submitSlurmSweep("probe", p.runs, { ...opts, maxParallel: 1 });
    for (let i = 0; i < 150 && !(await exists(`${dir}/${p.runs[0].id}/status.json`)); i++) await sleep(200);
    let st = await slurmStatus("probe", p.runs, { results, env: cluster.env });
    assert.deepEqual(st.runs.map((r) => r.state), ["running", "pending", "pending"]);
    assert.match(st.runs[1].slurm ?? "", /^PENDING \(JobArrayTaskLimit\)$/);
    assert.match(st.jobs[1].state, /^PENDING \(Dependency\)$/);

    await assert.rejects(submitSlurmSweep("probe", p.runs, opts), /still has Slurm jobs queued or running/);

    const cancelled = await cancelSlurmSweep("probe", { results, env: cluster.env });
    assert.deepEqual(cancelled.sort(), [sub.attempt!.array_job, sub.attempt!.follow_up_job].sort());
    for (let i = 0; i < 100; i++) {
      st = await slurmStatus("probe", p.runs, { results, env: cluster.env });
      if (!st.jobs.some((j) => /PENDING|RUNNING|COMPLETING|CONFIGURING/.test(j.state))) break;
      await sleep(200);
    }
    assert.deepEqual(st.runs.map((r) => r.state), ["cancelled", "cancelled", "cancelled"]);
    assert.ok(st.cancelledAt);
    assert.equal((await readJson<RunStatus>(`${dir}/${p.runs[0].id}/status.json`))?.state, "running");
    assert.deepEqual(await p.calls(), [0]);
  });
});

Deno.test({
  name: "the smoke sweep through Slurm gives the local executor's per-run losses and summary (timing columns aside)",
  ignore,
}, async () => {
  await withCluster(async (cluster, tmp) => {
    const ablate = async (args: string[], env: Record<string, string> = {}) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", `${root}lib/workbench/ablate_cli.ts`, ...args],
        cwd: root,
        env,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.ok(out.success, `ablate ${args.join(" ")} failed:\n${text.slice(-3000)}`);
      return text;
    };
    const local = `${tmp}/local`;
    const remote = `${tmp}/slurm`;
    // Both at once: the cluster's tasks and the local sweep share the machine's CPUs.
    const [, submitted] = await Promise.all([
      ablate(["smoke", "--results", local]),
      ablate(["smoke", "--executor", "slurm", "--results", remote, "--max-parallel", "2", "--time", "00:20:00"], cluster.env),
    ]);
    assert.match(submitted, /submitted job array \d+ \(2 runs\) and follow-up job \d+/);
    await waitFinished(`${remote}/smoke`, 240);

    const status = await ablate(["smoke", "--status", "--results", remote], cluster.env);
    assert.match(status, /^done +0-lr=0\.001 +job \d+_0 COMPLETED +log .*slurm-\d+_0\.out$/m);
    assert.match(status, /^done +1-lr=0\.003 +job \d+_1 COMPLETED +log .*slurm-\d+_1\.out$/m);
    assert.match(status, /^2\/2 done; summary: .*summary\.parquet$/m);
    assert.match(await ablate(["smoke", "--executor", "slurm", "--results", remote], cluster.env), /all 2 runs are done; nothing to submit/);

    const a = pl.readParquet(`${local}/smoke/summary.parquet`);
    const b = pl.readParquet(`${remote}/smoke/summary.parquet`);
    assert.deepEqual(b.columns, a.columns);
    // Timing varies; git_commit can move when others commit to this checkout between the two sweeps; and the
    // two sweeps run at once on one checkout's caches (datasets/.cache), so which run of which sweep made an
    // entry (clip_cache / latent_cache: "miss") and which found it ("hit") is a race, not a result.
    const compared = a.columns.filter((c) => !/(_s|_ms|per_s|_cache)$/.test(c) && c !== "git_commit");
    assert.ok(compared.includes("final_loss") && compared.includes("psnr") && compared.includes("seed"));
    for (const c of compared) assert.deepEqual(b.getColumn(c).toArray(), a.getColumn(c).toArray(), c);
    for (const id of a.getColumn("run").toArray() as string[]) {
      const losses = async (d: string) =>
        (await Deno.readTextFile(`${d}/smoke/${id}/metrics.jsonl`)).trim().split("\n").map((l) => JSON.parse(l))
          .filter((r) => typeof r.loss === "number").map((r) => [r.phase, r.step, r.loss]);
      const l = await losses(local);
      assert.ok(l.length >= 60, `${id}: ${l.length} loss rows`);
      assert.deepEqual(await losses(remote), l, id);
    }
  });
});

Deno.test({ name: "the Slurm executor and a local sweep respect each other's run locks", ignore }, async () => {
  await withCluster(async (cluster, tmp) => {
    const p = await probe(tmp, { sleepS: 5 });
    const results = `${tmp}/results`;
    const dir = `${results}/probe`;
    const opts = { results, entry: p.entry, env: cluster.env, log: () => {} };
    const [r0, r1, r2] = p.runs;
    const sub = await submitSlurmSweep("probe", p.runs, { ...opts, maxParallel: 1 });
    for (let i = 0; i < 300 && !(await exists(`${dir}/${r0.id}/lock.json`)); i++) await sleep(100);

    // A local sweep finds run 0 held by its array task and leaves it alone.
    const lines: string[] = [];
    const local = await runSweep("probe", p.runs, {
      dir,
      env: testEnv(),
      only: [0],
      execute: () => Promise.reject(new Error("the local sweep must not run a run a Slurm task holds")),
      log: (l) => lines.push(l),
    });
    assert.deepEqual(local.states.map((s) => s.state), ["locked"]);
    const task = new RegExp(`^Slurm job ${sub.attempt!.array_job}_0 \\(pid \\d+ on \\S+\\) since \\S+, lease renewed \\d+ s ago$`);
    assert.match(local.heldElsewhere[0].holder, task);

    // A local process takes run 2 before its task starts: the task skips it, the follow-up leaves it to that process.
    const holder = await holdRunLock(`${dir}/${r2.id}`);
    try {
      const jobs = await waitFinished(dir, 120);
      assert.deepEqual(jobs.sweeps[0].attempts.map((a) => a.indices), [[0, 1, 2]]);
      assert.deepEqual((await p.calls()).sort(), [0, 1]);
      // Its task wrote nothing there: no config, status or metrics; only the submission's job record and log link.
      assert.deepEqual((await Array.fromAsync(Deno.readDir(`${dir}/${r2.id}`))).map((e) => e.name).sort(), ["lock.json", "slurm.json", "slurm.out"]);
      assert.match(await Deno.readTextFile(`${dir}/slurm/slurm-${sub.attempt!.array_job}_2.out`), /skipped: held by pid \d+ on /);
      const st = await slurmStatus("probe", p.runs, { results, env: cluster.env });
      assert.deepEqual(st.runs.map((r) => r.state), ["done", "done", "running"]);
      assert.match(st.runs[2].lock!, new RegExp(`^pid ${holder.pid} on \\S+ since `));

      // Submitting again while it is held submits nothing.
      const again = await submitSlurmSweep("probe", p.runs, opts);
      assert.equal(again.attempt, null);
      assert.deepEqual(again.skipped, [r0.id, r1.id]);
      assert.deepEqual(again.held.map((h) => h.id), [r2.id]);
    } finally {
      await holder.release();
    }
    // Released (that process stopped without finishing it): the next submission runs it.
    const last = await submitSlurmSweep("probe", p.runs, opts);
    assert.deepEqual(last.submitted, [r2.id]);
    await waitFinished(dir, 60);
    assert.deepEqual((await p.calls()).sort(), [0, 1, 2]);
    assert.deepEqual((await slurmStatus("probe", p.runs, { results, env: cluster.env })).runs.map((r) => r.state), ["done", "done", "done"]);
  });
});
