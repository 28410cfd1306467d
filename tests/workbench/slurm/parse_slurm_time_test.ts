import assert from "node:assert/strict";
import { parseSlurmTime } from "../../../lib/workbench/slurm/mod.ts";

Deno.test("parseSlurmTime() reads every form sbatch accepts", () => {
  assert.equal(parseSlurmTime("90"), 90 * 60);
  assert.equal(parseSlurmTime("10:30"), 10 * 60 + 30);
  assert.equal(parseSlurmTime("01:30:00"), 5400);
  assert.equal(parseSlurmTime("2-12"), (2 * 24 + 12) * 3600);
  assert.equal(parseSlurmTime("1-02:03"), ((24 + 2) * 60 + 3) * 60);
  assert.equal(parseSlurmTime("1-02:03:04"), ((24 + 2) * 60 + 3) * 60 + 4);
  assert.equal(parseSlurmTime("INFINITE"), Infinity);
  assert.equal(parseSlurmTime("unlimited"), Infinity);
});

Deno.test("parseSlurmTime() rejects malformed and empty limits with the value received", () => {
  for (const bad of ["", "1h", "01:60:00", "00:00:75", "1-", "-1", "1:2:3:4", "1.5"]) {
    assert.throws(() => parseSlurmTime(bad), (e: Error) => e instanceof RangeError && e.message.includes(`"${bad}"`), bad);
  }
  assert.throws(() => parseSlurmTime("00:00:00"), /longer than 0 s/);
});
