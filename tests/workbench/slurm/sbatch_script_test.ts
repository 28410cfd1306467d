import assert from "node:assert/strict";
import { arrayRanges, checkSlurmOptions, sbatchScript, signalLeadSeconds } from "../../../lib/workbench/slurm/mod.ts";
import { shellQuote, splitShellWords } from "../../../lib/workbench/slurm/_shell.ts";

const directives = (text: string) => text.split("\n").filter((l) => l.startsWith("#SBATCH ")).map((l) => l.slice(8));

Deno.test("arrayRanges() compresses run indices into Slurm's array syntax", () => {
  assert.equal(arrayRanges([0]), "0");
  assert.equal(arrayRanges([3, 0, 1, 2, 7, 5, 8]), "0-3,5,7-8");
  assert.equal(arrayRanges([4, 4, 6]), "4,6");
});

Deno.test("sbatchScript() writes one array task per run that exec's the single-run entry point with the task index", () => {
  const text = sbatchScript({
    kind: "runs",
    experiment: "smoke",
    jobName: "ablate-smoke",
    runs: [{ index: 0, id: "0-lr=0.001" }, { index: 2, id: "2-lr=0.01" }],
    output: "/r/smoke/slurm/slurm-%A_%a.out",
    chdir: "/work/main",
    command: ["/opt/deno", "run", "-A", "/work/main/lib/workbench/ablate_cli.ts", "smoke", "--results", "/r s"],
    options: checkSlurmOptions({
      partition: "gpu",
      time: "02:00:00",
      cpusPerRun: 4,
      mem: "8G",
      gpusPerRun: 1,
      maxParallel: 3,
      extraSbatch: `--qos=short --comment "two words"`,
    }),
    generatedBy: "test",
  });
  assert.ok(text.startsWith("#!/bin/bash\n# test\n"));
  assert.match(text, /^# {3}0 -> 0-lr=0\.001$/m);
  assert.match(text, /^# {3}2 -> 2-lr=0\.01$/m);
  assert.deepEqual(directives(text), [
    "--job-name=ablate-smoke",
    "--array=0,2%3",
    "--output=/r/smoke/slurm/slurm-%A_%a.out",
    "--chdir=/work/main",
    "--export=ALL",
    "--nodes=1",
    "--ntasks=1",
    "--partition=gpu",
    "--cpus-per-task=4",
    "--time=02:00:00",
    "--signal=B:INT@300",
    "--mem=8G",
    "--gres=gpu:1",
    "--qos=short",
    "--comment 'two words'",
  ]);
  assert.match(
    text,
    /^exec \/opt\/deno run -A \/work\/main\/lib\/workbench\/ablate_cli\.ts smoke --results '\/r s' --index "\$SLURM_ARRAY_TASK_ID"$/m,
  );
});

Deno.test("sbatchScript() gives the follow-up job a dependency, one CPU and at most 15 minutes, no GPU", () => {
  const text = sbatchScript({
    kind: "follow-up",
    experiment: "smoke",
    jobName: "ablate-smoke-follow-up",
    output: "/r/smoke/slurm/follow-up-%j.out",
    chdir: "/w",
    dependency: "afterany:41",
    command: ["deno", "run", "-A", "cli.ts", "smoke", "--slurm-follow-up"],
    options: checkSlurmOptions({ time: "1-00:00:00", gpusPerRun: 2, mem: "64G", extraSbatch: "--account=lab" }),
    generatedBy: "test",
  });
  const d = directives(text);
  assert.ok(d.includes("--dependency=afterany:41"));
  assert.ok(d.includes("--cpus-per-task=1"));
  assert.ok(d.includes("--mem=1G"));
  assert.ok(d.includes("--time=0-00:15:00"));
  assert.ok(d.includes("--account=lab"));
  assert.ok(!d.some((x) => x.startsWith("--gres") || x.startsWith("--array") || x.startsWith("--signal")));
  assert.match(text, /^exec deno run -A cli\.ts smoke --slurm-follow-up$/m);
});

Deno.test("signalLeadSeconds() warns a run a tenth of its limit ahead, between 10 s and 5 min", () => {
  assert.equal(signalLeadSeconds(60), 10);
  assert.equal(signalLeadSeconds(1200), 120);
  assert.equal(signalLeadSeconds(86400), 300);
});

Deno.test("checkSlurmOptions() fills defaults and rejects bad values naming the option", () => {
  const o = checkSlurmOptions({});
  assert.deepEqual(o, {
    partition: null,
    time: null,
    timeSeconds: Infinity,
    cpusPerRun: 1,
    mem: null,
    gpusPerRun: 0,
    maxParallel: null,
    extraSbatch: [],
    retries: 0,
  });
  assert.throws(() => checkSlurmOptions({ time: "2h" }), /"2h" as a Slurm time limit/);
  assert.throws(() => checkSlurmOptions({ mem: "8 GB" }), /--mem must be an amount like 8G.*"8 GB"/);
  assert.throws(() => checkSlurmOptions({ partition: "a b" }), /--partition.*"a b"/);
  assert.throws(() => checkSlurmOptions({ cpusPerRun: 0 }), /--cpus-per-run must be an integer >= 1, received 0/);
  assert.throws(() => checkSlurmOptions({ maxParallel: 0 }), /--max-parallel must be an integer >= 1, received 0/);
  assert.throws(() => checkSlurmOptions({ retries: -1 }), /--retries must be an integer >= 0, received -1/);
  assert.throws(() => checkSlurmOptions({ extraSbatch: "--array=0-9" }), /cannot set --array/);
  assert.throws(() => checkSlurmOptions({ extraSbatch: "-o x.out" }), /cannot set -o/);
  assert.throws(() => checkSlurmOptions({ extraSbatch: "qos=short" }), /the word "qos=short" first/);
  assert.deepEqual(checkSlurmOptions({ extraSbatch: `-A lab --comment="a b" --qos short` }).extraSbatch, [
    "-A lab",
    "'--comment=a b'",
    "--qos short",
  ]);
  assert.throws(() => checkSlurmOptions({ extraSbatch: `--comment "open` }), /quote is not closed/);
});

Deno.test("splitShellWords() and shellQuote() round-trip words with spaces and quotes", () => {
  assert.deepEqual(splitShellWords(`--a=1  --b "x y" 'it''s' c\\ d`), ["--a=1", "--b", "x y", "its", "c d"]);
  for (const w of ["plain", "a b", "it's", `"q"`, "$HOME", ""]) {
    assert.deepEqual(splitShellWords(shellQuote(w)), [w]);
  }
});
