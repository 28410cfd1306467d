/** tools/bench/_round_stats.ts: best, median, spread of a configuration's rounds. */
import assert from "node:assert/strict";
import { roundStats } from "../../../tools/bench/_round_stats.ts";

Deno.test("roundStats() gives the best and median rounds and the spread relative to the median, keeping round order", () => {
  const s = roundStats([12, 10, 14, 11]);
  assert.equal(s.best, 10);
  assert.equal(s.median, 11.5);
  assert.equal(s.worst, 14);
  assert.equal(s.spread, 4 / 11.5);
  assert.deepEqual(s.rounds, [12, 10, 14, 11]);
  assert.deepEqual(roundStats([5]), { best: 5, median: 5, worst: 5, spread: 0, rounds: [5] });
});

Deno.test("roundStats() rejects no rounds and times that are not finite, naming the value", () => {
  assert.throws(() => roundStats([]), /there are none/);
  assert.throws(() => roundStats([1, NaN]), /finite time >= 0: received NaN/);
});
