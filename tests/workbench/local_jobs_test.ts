/**
 * `--jobs K`: the sweep's exit status from its jobs', and the options it does not combine with.
 * (The jobs themselves, as processes, are tested in ablate_cli_test.ts.)
 */
import assert from "node:assert/strict";
import { combinedExit, runLocalJobs } from "../../lib/workbench/_local_jobs.ts";
import { parseAblateArgs } from "../../lib/workbench/ablate_cli.ts";

Deno.test("combinedExit(): a job that left runs to a sibling is no failure; a failed or interrupted job decides", () => {
  assert.equal(combinedExit([0, 0]), 0);
  assert.equal(combinedExit([75, 0]), 0);
  assert.equal(combinedExit([0, 75, 75]), 0);
  assert.equal(combinedExit([75, 75]), 75, "every job left runs to a process outside the group");
  assert.equal(combinedExit([0, 1]), 1);
  assert.equal(combinedExit([75, 2]), 1);
  assert.equal(combinedExit([1, 130]), 130);
});

Deno.test("parseAblateArgs(): --jobs takes an integer >= 1, and refuses --executor slurm and --index", () => {
  assert.equal(parseAblateArgs(["smoke"]).jobs, 1);
  assert.equal(parseAblateArgs(["smoke", "--jobs", "2"]).jobs, 2);
  assert.throws(() => parseAblateArgs(["smoke", "--jobs", "0"]), /--jobs must be at least 1, received 0/);
  assert.throws(() => parseAblateArgs(["smoke", "--jobs", "2", "--executor", "slurm"]), /does not combine with --executor slurm/);
  assert.throws(() => parseAblateArgs(["smoke", "--jobs", "2", "--index", "0"]), /does not combine with --index/);
});

Deno.test("runLocalJobs() refuses fewer than two jobs and a job command line holding --jobs", async () => {
  await assert.rejects(() => runLocalJobs({ cli: "x.ts", args: ["smoke"], jobs: 1 }), /--jobs must be an integer >= 2 here: received 1/);
  await assert.rejects(() => runLocalJobs({ cli: "x.ts", args: ["smoke", "--jobs", "2"], jobs: 2 }), /must not hold --jobs/);
});
