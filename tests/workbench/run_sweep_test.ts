import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { resolveRuns } from "../../lib/workbench/experiment.ts";
import { readJson, type RunStatus } from "../../lib/workbench/run_folder.ts";
import { type RunExecutor, runSweep, sweepStatus } from "../../lib/workbench/run_sweep.ts";
import { testEnv } from "./_fixtures.ts";

const env = testEnv("cpu");
const runs = resolveRuns("t", { description: "d", base: {}, axes: { "train.lr": [1e-3, 2e-3, 3e-3] } });

Deno.test("runSweep() runs every run, records failures, carries on, and writes a summary of the finished ones", async () => {
  const dir = await Deno.makeTempDir();
  const calls: string[] = [];
  const execute: RunExecutor = (run) => {
    calls.push(run.id);
    if (run.index === 1) throw new RangeError("injected bad value");
    return Promise.resolve({ interrupted: false, metrics: { psnr: 10 + run.index, loss: 0.5 } });
  };
  const res = await runSweep("t", runs, { dir, env, execute, log: () => {} });
  assert.deepEqual(res.states.map((s) => s.state), ["done", "failed", "done"]);
  assert.equal(res.states[1].error, "injected bad value");
  const st = await readJson<RunStatus>(`${dir}/${runs[1].id}/status.json`);
  assert.equal(st?.state, "failed");
  assert.match(st?.error ?? "", /RangeError: injected bad value/);
  const cfg = await readJson<{ config: { train: { lr: number } }; backend: string; git_commit: string; seed: number }>(
    `${dir}/${runs[2].id}/config.json`,
  );
  assert.equal(cfg?.config.train.lr, 3e-3);
  assert.equal(cfg?.backend, "cpu");
  assert.equal(cfg?.git_commit, "abc");
  const df = pl.readParquet(res.summaryPath!);
  assert.equal(df.height, 2);
  assert.deepEqual(df.getColumn("psnr").toArray(), [10, 12]);
  assert.deepEqual(df.getColumn("train.lr").toArray(), [1e-3, 3e-3]);

  // Re-running skips finished runs and retries only the failed one.
  calls.length = 0;
  const ok: RunExecutor = (run) => Promise.resolve({ interrupted: false, metrics: { psnr: 10 + run.index, loss: 0.5 } });
  const again = await runSweep("t", runs, { dir, env, execute: async (r, c) => (calls.push(r.id), await ok(r, c)), log: () => {} });
  assert.deepEqual(calls, [runs[1].id]);
  assert.deepEqual(again.states.map((s) => s.state), ["skipped", "done", "skipped"]);
  assert.equal(pl.readParquet(again.summaryPath!).height, 3);
  assert.deepEqual((await sweepStatus(dir, runs)).map((s) => s.state), ["done", "done", "done"]);
});

Deno.test("runSweep() stops at an interrupted run and resumes it next time", async () => {
  const dir = await Deno.makeTempDir();
  let stop = false;
  const execute: RunExecutor = (run, ctx) => {
    if (run.index === 1 && !ctx.shouldStop()) {
      stop = true;
      return Promise.resolve({ interrupted: true, metrics: {} });
    }
    return Promise.resolve({ interrupted: false, metrics: { v: run.index } });
  };
  const res = await runSweep("t", runs, { dir, env, execute, shouldStop: () => stop, log: () => {} });
  assert.equal(res.interrupted, true);
  assert.equal(res.summaryPath, null);
  assert.deepEqual(res.states.map((s) => s.state), ["done", "interrupted"]);
  stop = false;
  const resumed = await runSweep("t", runs, {
    dir,
    env,
    execute: (run) => Promise.resolve({ interrupted: false, metrics: { v: run.index } }),
    log: () => {},
  });
  assert.deepEqual(resumed.states.map((s) => s.state), ["skipped", "done", "done"]);
});

Deno.test("runSweep() refuses a run folder that holds a different config", async () => {
  const dir = await Deno.makeTempDir();
  const execute: RunExecutor = () => Promise.resolve({ interrupted: false, metrics: {} });
  await runSweep("t", runs.slice(0, 1), { dir, env, execute, log: () => {} });
  const changed = structuredClone(runs[0]);
  changed.config.train.steps = 999;
  await assert.rejects(
    () => runSweep("t", [changed], { dir, env, execute, log: () => {} }),
    /holds a different config: the experiment changed since it ran/,
  );
});

Deno.test("runSweep() treats a run recorded before a config key existed as the same run when the key keeps its default", async () => {
  const dir = await Deno.makeTempDir();
  const execute: RunExecutor = () => Promise.resolve({ interrupted: false, metrics: {} });
  await runSweep("t", runs.slice(0, 1), { dir, env, execute, log: () => {} });
  const path = `${dir}/${runs[0].id}/config.json`;
  const recorded = JSON.parse(await Deno.readTextFile(path));
  delete recorded.config.conditioning; // as written before the key existed
  await Deno.writeTextFile(path, JSON.stringify(recorded));
  const again = await runSweep("t", runs.slice(0, 1), { dir, env, execute, log: () => {} });
  assert.deepEqual(again.states.map((s) => s.state), ["skipped"]);
});
