import assert from "node:assert/strict";
import { expandJobId } from "../../../lib/workbench/slurm/_job_states.ts";

Deno.test("expandJobId() expands sacct's pending-array notation into one id per task", () => {
  assert.deepEqual(expandJobId("12_[0-2,5%2]"), ["12_0", "12_1", "12_2", "12_5"]);
  assert.deepEqual(expandJobId("12_[7]"), ["12_7"]);
  assert.deepEqual(expandJobId("12_3"), ["12_3"]);
  assert.deepEqual(expandJobId("13"), ["13"]);
});
