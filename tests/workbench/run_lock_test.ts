import assert from "node:assert/strict";
import { acquireRunLock, describeRunLock, inspectRunLock } from "../../lib/workbench/run_lock.ts";

/** Runs `fn` with these environment variables set (undefined: unset), restoring them after. */
async function withEnv(vars: Record<string, string | undefined>, fn: () => Promise<void> | void): Promise<void> {
  const saved = Object.keys(vars).map((k) => [k, Deno.env.get(k)] as const);
  try {
    for (const [k, v] of Object.entries(vars)) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    await fn();
  } finally {
    for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  }
}

Deno.test("acquireRunLock() records the command and, inside a Slurm array task, the task; --status names it", async () => {
  const dir = await Deno.makeTempDir();
  await withEnv({ SLURM_ARRAY_JOB_ID: "812", SLURM_ARRAY_TASK_ID: "3", SLURM_JOB_ID: "815" }, () => {
    const got = acquireRunLock(dir);
    assert.ok(got.lock);
    try {
      assert.equal(got.lock.info.details.slurm_job, "812_3");
      assert.match(String(got.lock.info.details.command), /^run_lock_test\.ts/);
      assert.equal(acquireRunLock(dir).lock, null, "a second taker is refused");
      assert.match(
        describeRunLock(inspectRunLock(dir)!),
        new RegExp(`^Slurm job 812_3 \\(pid ${Deno.pid} on ${Deno.hostname()}\\) since \\S+, lease renewed \\d+ s ago$`),
      );
    } finally {
      got.lock.release();
    }
    assert.equal(inspectRunLock(dir), null);
  });
});

Deno.test("acquireRunLock() outside Slurm records no job, and takes its lease timeout from WORKBENCH_LOCK_STALE_S", async () => {
  const dir = await Deno.makeTempDir();
  await withEnv({ SLURM_ARRAY_JOB_ID: undefined, SLURM_ARRAY_TASK_ID: undefined, SLURM_JOB_ID: undefined, WORKBENCH_LOCK_STALE_S: "40" }, () => {
    const got = acquireRunLock(dir);
    assert.ok(got.lock);
    assert.equal(got.lock.info.details.slurm_job, null);
    assert.equal(got.lock.info.stale_after_s, 40);
    assert.equal(got.lock.info.refresh_s, 10);
    got.lock.release();
  });
  await withEnv({ WORKBENCH_LOCK_STALE_S: "soon" }, () => {
    assert.throws(() => acquireRunLock(dir), /WORKBENCH_LOCK_STALE_S must be a number of seconds > 0: received "soon"/);
  });
});
