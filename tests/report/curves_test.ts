import assert from "node:assert/strict";
import { emaSmooth, meanCurve, stepsToReach } from "../../lib/report/mod.ts";

Deno.test("emaSmooth() is the debiased EMA: the first point is kept, then w-weighted", () => {
  // w = 0.5: s1 = 0.5·1 / 0.5 = 1; s2 = (0.25 + 0.5·0) / 0.75 = 1/3; s3 = (0.125 + 0 + 0.5·4)/0.875 = 2.125/0.875
  const s = emaSmooth([1, 0, 4], { weight: 0.5 });
  assert.deepEqual(s.slice(0, 2), [1, 1 / 3]);
  assert.ok(Math.abs(s[2]! - 2.125 / 0.875) < 1e-12);
  assert.deepEqual(emaSmooth([5, 5, 5]), [5, 5, 5].map((v) => v));
  assert.deepEqual(emaSmooth([1, null, 1], { weight: 0.9 }).map((v) => v === null ? null : Number(v.toFixed(12))), [1, null, 1]);
  assert.throws(() => emaSmooth([1], { weight: 1 }), /weight must be in \[0, 1\): received 1/);
});

Deno.test("meanCurve() averages runs on the union of their steps", () => {
  const m = meanCurve([{ x: [0, 10, 20], y: [1, 3, null] }, { x: [10, 0], y: [5, 3] }]);
  assert.deepEqual(m.x, [0, 10, 20].filter((x) => x !== 20));
  assert.deepEqual(m.mean, [2, 4]);
  assert.deepEqual(m.n, [2, 2]);
  assert.ok(Math.abs(m.std[0] - Math.SQRT2) < 1e-12);
  assert.deepEqual([m.min, m.max], [[1, 3], [3, 5]]);
  assert.throws(() => meanCurve([{ x: [0], y: [] }]), /same length: received 1 and 0/);
});

Deno.test("stepsToReach() returns the first evaluated step at or below the target, or null", () => {
  assert.equal(stepsToReach([25, 50, 75], [0.9, 0.5, 0.4], 0.6), 50);
  assert.equal(stepsToReach([25, 50], [0.9, 0.5], 0.5), 50);
  assert.equal(stepsToReach([25, 50], [null, 0.7], 0.6), null);
  assert.throws(() => stepsToReach([50, 25], [1, 1], 0), /x must ascend: received 50 then 25/);
});

Deno.test("settleDisplays() resolves after the wait and rejects a negative one", async () => {
  const { settleDisplays } = await import("../../lib/report/mod.ts");
  let done = false;
  const p = settleDisplays(5).then(() => (done = true));
  assert.equal(done, false);
  await p;
  assert.equal(done, true);
  assert.throws(() => settleDisplays(-1), /finite number >= 0: received -1/);
});
