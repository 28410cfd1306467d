import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { resolveRuns } from "../../lib/workbench/experiment.ts";
import { readJson, type RunStatus } from "../../lib/workbench/run_folder.ts";
import { type RunExecutor, runSweep, sweepStatus } from "../../lib/workbench/run_sweep.ts";
import type { LockInfo } from "../../lib/io/lock_file.ts";
import { holdRunLock, testEnv } from "./_fixtures.ts";

const env = testEnv("cpu");
const runs = resolveRuns("t", { question: "d", recipe: "defaults", overrides: {}, axes: { "train.lr": [1e-3, 2e-3, 3e-3] } });

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
  changed.config.seed = 999;
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

const ok: RunExecutor = (run) => Promise.resolve({ interrupted: false, metrics: { v: run.index } });

Deno.test("runSweep() skips a run another process holds, never writes into it, runs the others, and reports it at the end", async () => {
  const dir = await Deno.makeTempDir();
  const held = await holdRunLock(`${dir}/${runs[1].id}`);
  try {
    const calls: number[] = [];
    const lines: string[] = [];
    const res = await runSweep("t", runs, { dir, env, execute: (r, c) => (calls.push(r.index), ok(r, c)), log: (l) => lines.push(l) });
    assert.deepEqual(calls, [0, 2]);
    assert.deepEqual(res.states.map((s) => s.state), ["done", "locked", "done"]);
    const who = new RegExp(`^pid ${held.pid} on ${Deno.hostname()} since \\S+, lease renewed \\d+ s ago$`);
    assert.match(lines.find((l) => l.startsWith(`run 2/3 ${runs[1].id}: skipped: held by `))!.split("held by ")[1], who);
    assert.deepEqual(res.heldElsewhere.map((h) => h.id), [runs[1].id]);
    assert.match(res.heldElsewhere[0].holder, who);
    assert.ok(lines.includes("1 run(s) still held by another process, which finishes them and writes the summary:"));
    // The holder's folder holds only its lock; the summary is left to the holder.
    assert.deepEqual((await Array.fromAsync(Deno.readDir(`${dir}/${runs[1].id}`))).map((e) => e.name), ["lock.json"]);
    assert.equal(res.summaryPath, null);
    const st = await sweepStatus(dir, runs);
    assert.deepEqual(st.map((s) => s.state), ["done", "running", "done"]);
    assert.match(st[1].lock!, who);
    assert.equal(st[0].lock, undefined, "a finished run leaves no lock");
  } finally {
    await held.release();
  }
  const again = await runSweep("t", runs, { dir, env, execute: ok, log: () => {} });
  assert.deepEqual(again.states.map((s) => s.state), ["skipped", "done", "skipped"]);
  assert.equal(pl.readParquet(again.summaryPath!).height, 3);
});

Deno.test("sweepStatus() shows a finished run whose folder holds another config as other-config, the folder runSweep refuses", async () => {
  const dir = await Deno.makeTempDir();
  const ok: RunExecutor = (run) => Promise.resolve({ interrupted: false, metrics: { v: run.index } });
  await runSweep("t", runs, { dir, env, execute: ok, log: () => {} });
  // The same runs (same ids) after the experiment changed a value that no axis names.
  const changed = resolveRuns("t", { question: "d", recipe: "defaults", overrides: { train: { steps: 7 } }, axes: { "train.lr": [1e-3, 2e-3, 3e-3] } });
  assert.deepEqual(changed.map((r) => r.id), runs.map((r) => r.id));
  const st = await sweepStatus(dir, changed);
  assert.deepEqual(st.map((s) => s.state), ["other-config", "other-config", "other-config"]);
  assert.match(st[0].error!, /holds a different config: the experiment changed since it ran.*\(recorded state: done\)$/);
  await assert.rejects(runSweep("t", changed, { dir, env, execute: ok, log: () => {} }), /holds a different config/);
  assert.deepEqual((await sweepStatus(dir, runs)).map((s) => s.state), ["done", "done", "done"], "the runs it recorded");
});

Deno.test("runSweep() takes over, with a note, the lock of a run whose process was killed with kill -9, and resumes it", async () => {
  const dir = await Deno.makeTempDir();
  const held = await holdRunLock(`${dir}/${runs[0].id}`);
  await held.kill9();
  const st = await sweepStatus(dir, runs.slice(0, 1));
  assert.equal(st[0].state, "pending");
  assert.match(
    st[0].lock!,
    new RegExp(`^stale lock of pid ${held.pid} on ${Deno.hostname()} since \\S+: process ${held.pid} on \\S+ is gone; the next run takes it over$`),
  );
  const lines: string[] = [];
  const res = await runSweep("t", runs.slice(0, 1), { dir, env, execute: ok, log: (l) => lines.push(l) });
  assert.deepEqual(res.states.map((s) => s.state), ["done"]);
  assert.ok(lines.some((l) => l.startsWith(`run 1/1 ${runs[0].id}: note: took over a stale lock of pid ${held.pid} on `)), lines.join("\n"));
  assert.equal((await sweepStatus(dir, runs.slice(0, 1)))[0].lock, undefined);
});

Deno.test("runSweep() stops writing a run once another process took its lock over, leaving that process's lock and files", async () => {
  const dir = await Deno.makeTempDir();
  const lines: string[] = [];
  const other: LockInfo = {
    token: "other",
    host: "node-elsewhere",
    pid: 4242,
    pid_start: null,
    started_at: new Date().toISOString(),
    refreshed_at: new Date().toISOString(),
    refresh_s: 30,
    stale_after_s: 600,
    details: {},
  };
  const execute: RunExecutor = async (_run, ctx) => {
    // This process stood still past its lease: another host took the run over.
    await Deno.writeTextFile(`${ctx.dir}/lock.json`, JSON.stringify(other));
    for (let i = 0; i < 1000; i++) {
      ctx.shouldStop(); // throws once the lease renewal has found the lock taken
      await new Promise((r) => setTimeout(r, 10));
    }
    return { interrupted: false, metrics: {} };
  };
  const res = await runSweep("t", runs.slice(0, 1), { dir, env, execute, log: (l) => lines.push(l), lock: { refreshS: 0.02, staleAfterS: 1 } });
  assert.equal(res.states[0].state, "locked");
  assert.match(res.states[0].error!, /^Lost the lock of .* \(taken over by pid 4242 on node-elsewhere at \S+\): stopped without writing to it again$/);
  const status = await readJson<RunStatus>(`${dir}/${runs[0].id}/status.json`);
  assert.equal(status?.state, "running", "status.json is the new holder's to write");
  assert.equal(await Deno.stat(`${dir}/${runs[0].id}/result.json`).then(() => true, () => false), false);
  assert.equal(JSON.parse(await Deno.readTextFile(`${dir}/${runs[0].id}/lock.json`)).token, "other");
});
