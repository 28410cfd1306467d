import assert from "node:assert/strict";
import { type LockInfo, LockFile } from "../../lib/io/lock_file.ts";

const child = new URL("./_lock_child.ts", import.meta.url).pathname;

/** Processes that wait for `<dir>/go`, then try the lock at once; `lines()` gives each one's answer. */
async function contenders(dir: string, path: string, n: number) {
  const procs = Array.from({ length: n }, () =>
    new Deno.Command(Deno.execPath(), { args: ["run", "-A", child, path, `${dir}/go`], stdin: "piped", stdout: "piped" }).spawn());
  const readers = procs.map((p) => p.stdout.pipeThrough(new TextDecoderStream()).getReader());
  const next = async (r: ReadableStreamDefaultReader<string>) => {
    let text = "";
    while (!text.includes("\n")) {
      const { value, done } = await r.read();
      if (done) throw new Error(`lock child ended early: "${text}"`);
      text += value;
    }
    return text.trim();
  };
  for (const r of readers) assert.equal(await next(r), "ready");
  await Deno.writeTextFile(`${dir}/go`, "");
  const answers = await Promise.all(readers.map(next));
  const end = async () => {
    for (const p of procs) await p.stdin.close();
    for (const [i, p] of procs.entries()) {
      await readers[i].cancel();
      await p.status;
    }
  };
  return { procs, answers, end };
}

/** A lock file as another process (maybe on another host) would have written it. */
function foreign(over: Partial<LockInfo>): LockInfo {
  const now = new Date().toISOString();
  return {
    token: crypto.randomUUID(),
    host: "node-elsewhere",
    pid: 4242,
    pid_start: null,
    started_at: now,
    refreshed_at: now,
    refresh_s: 30,
    stale_after_s: 600,
    details: { command: "ablate_cli.ts smoke" },
    ...over,
  };
}

Deno.test("LockFile.acquire() refuses a lock a live process holds, naming it, and release() frees it", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/lock.json`;
  const a = LockFile.acquire(path, { details: { command: "first" } });
  assert.ok(a.lock);
  assert.equal(a.tookOver, null);
  const b = LockFile.acquire(path);
  assert.equal(b.lock, null);
  assert.equal(b.holder.stale, false);
  assert.equal(b.holder.info?.pid, Deno.pid);
  assert.equal(b.holder.info?.details.command, "first");
  assert.equal(b.holder.reason, `pid ${Deno.pid} on ${Deno.hostname()} is running`);
  a.lock.release();
  assert.equal(LockFile.inspect(path), null);
  const c = LockFile.acquire(path);
  assert.ok(c.lock);
  c.lock.release();
  // Nothing but the lock itself is ever left in the folder (no temporary or guard file).
  assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
});

Deno.test("a lock whose process was killed with kill -9 is taken over, with the dead holder reported", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/lock.json`;
  const c = await contenders(dir, path, 1);
  assert.deepEqual(c.answers, ["locked"]);
  const pid = c.procs[0].pid;
  assert.equal(LockFile.acquire(path).lock, null, "held while the holder lives");
  c.procs[0].kill("SIGKILL");
  await c.procs[0].status;
  const got = LockFile.acquire(path);
  assert.ok(got.lock);
  assert.equal(got.tookOver?.info?.pid, pid);
  assert.equal(got.tookOver?.reason, `process ${pid} on ${Deno.hostname()} is gone`);
  assert.equal(LockFile.inspect(path)?.info?.token, got.lock.info.token);
  got.lock.release();
  await c.end().catch(() => {});
});

Deno.test("a lock from another host is held while its lease is fresh and taken over once older than its timeout", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/lock.json`;
  await Deno.writeTextFile(path, JSON.stringify(foreign({})));
  const fresh = LockFile.acquire(path);
  assert.equal(fresh.lock, null);
  assert.match(fresh.holder.reason, /^pid 4242 on node-elsewhere renewed its lease \d+ s ago$/);

  const old = new Date(Date.now() - 700_000).toISOString();
  await Deno.writeTextFile(path, JSON.stringify(foreign({ refreshed_at: old })));
  const view = LockFile.inspect(path)!;
  assert.equal(view.stale, true);
  assert.match(view.reason, /^its lease on node-elsewhere was last renewed 70\d s ago \(timeout 600 s\)$/);
  const got = LockFile.acquire(path);
  assert.ok(got.lock);
  assert.equal(got.tookOver?.info?.host, "node-elsewhere");
  got.lock.release();
});

Deno.test("a lock naming a live pid that is another process now (pid reused) is stale", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/lock.json`;
  const held = LockFile.acquire(path);
  assert.ok(held.lock);
  const start = held.lock.info.pid_start;
  held.lock.release();
  assert.notEqual(start, null, "/proc gives this process's start time");
  await Deno.writeTextFile(path, JSON.stringify(foreign({ host: Deno.hostname(), pid: Deno.pid, pid_start: start! - 1 })));
  assert.equal(LockFile.inspect(path)?.stale, true);
});

Deno.test("refresh() renews the lease; a holder whose lock was taken over finds it lost and leaves the new holder's file", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/lock.json`;
  const got = LockFile.acquire(path);
  assert.ok(got.lock);
  const lock = got.lock;
  const before = lock.info.refreshed_at;
  await new Promise((r) => setTimeout(r, 5));
  lock.refresh();
  assert.equal(lock.lost, null);
  const onDisk = JSON.parse(await Deno.readTextFile(path)) as LockInfo;
  assert.ok(onDisk.refreshed_at > before, `${onDisk.refreshed_at} after ${before}`);
  assert.equal(onDisk.started_at, before);

  // Another host took it over (this process stood still longer than the timeout).
  const other = foreign({});
  await Deno.writeTextFile(path, JSON.stringify(other));
  lock.refresh();
  assert.equal(lock.lost, `taken over by pid 4242 on node-elsewhere at ${other.started_at}`);
  lock.release();
  assert.equal(LockFile.inspect(path)?.info?.token, other.token);
});

Deno.test("of processes racing for a free lock, or for a stale one, exactly one gets it", async () => {
  for (const stale of [false, true]) {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/lock.json`;
    if (stale) await Deno.writeTextFile(path, JSON.stringify(foreign({ refreshed_at: new Date(Date.now() - 700_000).toISOString() })));
    const c = await contenders(dir, path, 4);
    try {
      const won = c.answers.filter((a) => a === (stale ? "took-over" : "locked"));
      assert.equal(won.length, 1, c.answers.join("; "));
      assert.equal(c.answers.filter((a) => a.startsWith("held ")).length, 3, c.answers.join("; "));
    } finally {
      await c.end();
    }
  }
});

Deno.test("LockFile.acquire() rejects a lease timeout not above the refresh interval", async () => {
  const dir = await Deno.makeTempDir();
  assert.throws(
    () => LockFile.acquire(`${dir}/lock.json`, { refreshS: 30, staleAfterS: 30 }),
    /lease timeout must exceed the refresh interval \(both > 0 s\): received refresh 30 s, timeout 30 s/,
  );
});
