/**
 * `deno task ablate` as a user runs it, in separate processes: the same sweep
 * started twice at once on one results folder, a run killed with kill -9 in
 * the middle of a write, and --status on both.
 */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { readJsonl } from "../../lib/train/mod.ts";

const root = new URL("../../", import.meta.url).pathname;

function ablateCommand(args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}lib/workbench/ablate_cli.ts`, ...args],
    cwd: root,
    env: { WORKBENCH_BACKEND: "" },
    stdout: "piped",
    stderr: "piped",
  });
}

/** Runs ablate; returns its exit code and output. */
async function ablate(args: string[]): Promise<{ code: number; text: string }> {
  const out = await ablateCommand(args).output();
  return { code: out.code, text: new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout) };
}

/** Every loss record of a run as "phase step loss", in file order. */
async function lossRows(runDir: string): Promise<string[]> {
  const rows = (await readJsonl(`${runDir}/metrics.jsonl`)) ?? [];
  assert.ok(rows.every((r) => r !== null), `${runDir}/metrics.jsonl has an unparsable line`);
  return rows.filter((r) => typeof r!.loss === "number").map((r) => `${r!.phase} ${r!.step} ${r!.loss}`);
}

const exists = (p: string) => Deno.stat(p).then(() => true, () => false);

/** One sweep of `smoke` run alone, the reference of the tests that share it (made once). */
let singleSweep: Promise<{ dir: string; ids: string[] }> | null = null;
function smokeAlone(): Promise<{ dir: string; ids: string[] }> {
  singleSweep ??= (async () => {
    const dir = await Deno.makeTempDir();
    const ref = await ablate(["smoke", "--results", dir]);
    assert.equal(ref.code, 0, ref.text.slice(-3000));
    return { dir, ids: pl.readParquet(`${dir}/smoke/summary.parquet`).getColumn("run").toArray() as string[] };
  })();
  return singleSweep;
}

Deno.test("two ablate smoke started together leave each run as one sweep does; a third finds everything done", async () => {
  const { dir: single, ids } = await smokeAlone();
  const both = await Deno.makeTempDir();

  const [a, b] = await Promise.all([ablate(["smoke", "--results", both]), ablate(["smoke", "--results", both])]);
  // A process that left a run to the other exits 75 after saying which and why.
  for (const p of [a, b]) assert.ok(p.code === 0 || p.code === 75, `exit ${p.code}:\n${p.text.slice(-3000)}`);
  for (const p of [a, b].filter((p) => p.code === 75)) {
    assert.match(p.text, /: skipped: held by pid \d+ on \S+ since /);
    assert.match(p.text, /run\(s\) still held by another process, which finishes them and writes the summary:/);
  }
  const trained = (p: { text: string }) => ids.filter((id) => new RegExp(`${id}: (starting|resuming)`).test(p.text));
  assert.deepEqual([...trained(a), ...trained(b)].sort(), [...ids].sort(), "each run trained by exactly one process");

  for (const id of ids) {
    const rows = await lossRows(`${both}/smoke/${id}`);
    assert.equal(new Set(rows.map((r) => r.split(" ").slice(0, 2).join(" "))).size, rows.length, `${id}: a step logged twice`);
    assert.deepEqual(rows, await lossRows(`${single}/smoke/${id}`), `${id}: per-step losses`);
    assert.equal(JSON.parse(await Deno.readTextFile(`${both}/smoke/${id}/status.json`)).state, "done");
    assert.equal(await exists(`${both}/smoke/${id}/lock.json`), false, `${id}: lock left behind`);
  }
  assert.deepEqual(pl.readParquet(`${both}/smoke/summary.parquet`).getColumn("run").toArray(), ids);

  const third = await ablate(["smoke", "--results", both]);
  assert.equal(third.code, 0, third.text.slice(-3000));
  for (const id of ids) assert.match(third.text, new RegExp(`${id}: done already, skipped`));
  assert.doesNotMatch(third.text, /starting|resuming/);
});

Deno.test("ablate smoke --jobs 2 trains each run once, in two processes, with a single sweep's losses, and writes the summary", async () => {
  const { dir: single, ids } = await smokeAlone();
  const dir = await Deno.makeTempDir();
  const p = await ablate(["smoke", "--jobs", "2", "--results", dir]);
  assert.equal(p.code, 0, p.text.slice(-3000));
  const trainedBy = (k: number) => ids.filter((id) => new RegExp(`^\\[job ${k}\\] .*${id}: (starting|resuming)`, "m").test(p.text));
  assert.deepEqual([...trainedBy(0), ...trainedBy(1)].sort(), [...ids].sort(), "each run trained by exactly one job");
  if (ids.length > 1) assert.ok(trainedBy(0).length > 0 && trainedBy(1).length > 0, `both jobs trained:\n${p.text.slice(-3000)}`);
  for (const id of ids) {
    assert.deepEqual(await lossRows(`${dir}/smoke/${id}`), await lossRows(`${single}/smoke/${id}`), `${id}: per-step losses`);
    assert.equal(JSON.parse(await Deno.readTextFile(`${dir}/smoke/${id}/status.json`)).state, "done");
  }
  assert.deepEqual(pl.readParquet(`${dir}/smoke/summary.parquet`).getColumn("run").toArray(), ids);
});

Deno.test("a run killed with kill -9 mid-write shows a stale lock in --status; re-running takes it over and resumes to the same losses", async () => {
  const single = await Deno.makeTempDir(), dir = await Deno.makeTempDir();
  const ref = await ablate(["smoke", "--results", single, "--index", "0"]);
  assert.equal(ref.code, 0, ref.text.slice(-3000));
  const id = (await Array.fromAsync(Deno.readDir(`${single}/smoke`))).find((e) => e.isDirectory)!.name;
  const run = `${dir}/smoke/${id}`;

  const child = ablateCommand(["smoke", "--results", dir, "--index", "0"]).spawn();
  const output = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  // Once a few DiT steps are logged.
  for (let i = 0; i < 1500 && (await lossRows(run).catch(() => [])).filter((r) => r.startsWith("dit ")).length < 3; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  // Paused while we look, so that it is still mid-run: a stopped process still holds its lock.
  child.kill("SIGSTOP");
  const status = await ablate(["smoke", "--results", dir, "--status"]);
  assert.match(status.text, new RegExp(`^running +${id}\\n +pid ${child.pid} on \\S+ since \\S+, lease renewed \\d+ s ago$`, "m"));
  const other = await ablate(["smoke", "--results", dir, "--index", "0"]);
  assert.equal(other.code, 75, other.text.slice(-3000));
  assert.match(other.text, new RegExp(`${id}: skipped: held by pid ${child.pid} on `));

  child.kill("SIGKILL");
  await child.status;
  await output.cancel();
  // Killed in the middle of writing a record.
  await Deno.writeTextFile(`${run}/metrics.jsonl`, '{"phase":"dit","step":', { append: true });
  const after = await ablate(["smoke", "--results", dir, "--status"]);
  assert.match(after.text, new RegExp(`^interrupted +${id}\\n +stale lock of pid ${child.pid} on \\S+ since \\S+: process ${child.pid} on \\S+ is gone`, "m"));

  const resumed = await ablate(["smoke", "--results", dir, "--index", "0"]);
  assert.equal(resumed.code, 0, resumed.text.slice(-3000));
  assert.match(resumed.text, new RegExp(`${id}: note: took over a stale lock of pid ${child.pid} on `));
  assert.match(resumed.text, /dropped a line that is not a whole record \(a process stopped mid-write\): "\{\\"phase\\":\\"dit\\",\\"step\\":"/);
  assert.deepEqual(await lossRows(run), await lossRows(`${single}/smoke/${id}`));
});
