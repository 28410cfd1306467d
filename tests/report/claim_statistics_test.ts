import assert from "node:assert/strict";
import {
  bootstrapInterval, claimVerdict, curveArea, pairedTInterval, seedsNeeded, studentTQuantile,
} from "../../lib/report/mod.ts";
import { Prng } from "../../lib/random/mod.ts";

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

Deno.test("studentTQuantile() matches the closed forms for 1 and 2 df and the published table for small df", () => {
  // df = 1 (Cauchy): tan(π(p − ½)); df = 2: (2p − 1)/√(2p(1 − p)).
  close(studentTQuantile(0.975, 1), Math.tan(Math.PI * 0.475), 1e-9, "t(0.975, 1)");
  close(studentTQuantile(0.975, 2), 0.95 / Math.sqrt(2 * 0.975 * 0.025), 1e-9, "t(0.975, 2)");
  close(studentTQuantile(0.8, 2), 0.6 / Math.sqrt(2 * 0.8 * 0.2), 1e-9, "t(0.8, 2)");
  // Table values (e.g. Abramowitz & Stegun table 26.10), 4 decimals.
  close(studentTQuantile(0.975, 3), 3.1824, 5e-5, "t(0.975, 3)");
  close(studentTQuantile(0.975, 4), 2.7764, 5e-5, "t(0.975, 4)");
  close(studentTQuantile(0.975, 9), 2.2622, 5e-5, "t(0.975, 9)");
  close(studentTQuantile(0.975, 1e7), 1.95996, 5e-5, "z(0.975)");
  assert.equal(studentTQuantile(0.5, 3), 0);
  close(studentTQuantile(0.025, 2), -studentTQuantile(0.975, 2), 1e-12, "symmetry");
  assert.throws(() => studentTQuantile(1, 2), /p must be in \(0, 1\): current value is 1/);
  assert.throws(() => studentTQuantile(0.9, 0), /df must be > 0/);
});

Deno.test("pairedTInterval() on four pairs computed by hand", () => {
  // d = 0.2, 0.3, 0.1, 0.4: mean 0.25; Σ(d − 0.25)² = 0.05, sd = √(0.05/3) = 0.1290994;
  // se = sd/2 = 0.0645497; t(0.975, 3) = 3.1824463 → half width 0.2054268.
  const ci = pairedTInterval([0.5, 0.7, 0.4, 0.8], [0.3, 0.4, 0.3, 0.4]);
  assert.equal(ci.n, 4);
  close(ci.effect, 0.25, 1e-12, "effect");
  close(ci.sd, 0.1290994, 1e-7, "sd");
  close(ci.t, 3.1824463, 1e-6, "t");
  close(ci.low, 0.0445732, 1e-6, "low");
  close(ci.high, 0.4554268, 1e-6, "high");
});

Deno.test("pairedTInterval() on three seeds, one-sample form, and its errors", () => {
  // d = 2, 3, 1: mean 2, sd 1, t(0.975, 2) = 4.3026527, half width 4.3026527/√3 = 2.4841377.
  const ci = pairedTInterval([3, 5, 4], [1, 2, 3]);
  close(ci.low, 2 - 2.4841377, 1e-6, "low");
  close(ci.high, 2 + 2.4841377, 1e-6, "high");
  assert.deepEqual(pairedTInterval([2, 3, 1]), ci);
  // Equal differences: no spread, a zero-width interval.
  const flat = pairedTInterval([5, 6], [4, 5]);
  assert.equal(flat.low, 1);
  assert.equal(flat.high, 1);
  assert.throws(() => pairedTInterval([1, 2], [1]), /Cannot pair 2 values with 1/);
  assert.throws(() => pairedTInterval([1]), /from 1 value\(s\): expected at least 2/);
  assert.throws(() => pairedTInterval([1, NaN], [0, 0]), /non-finite/);
});

Deno.test("bootstrapInterval() is seeded, stays within the extreme differences and covers both for two pairs", () => {
  // d = 0, 1: resampled means are 0, ½, 1 with probabilities ¼, ½, ¼, so the 2.5% and 97.5% points are 0 and 1.
  const two = bootstrapInterval([0, 1], [0, 0], { prng: new Prng(1) });
  assert.equal(two.effect, 0.5);
  assert.equal(two.low, 0);
  assert.equal(two.high, 1);
  const x = [1.2, 0.4, 2.2, 0.9, 1.6], y = [0.2, 0.1, 0.3, 0.5, 0.2];
  const a = bootstrapInterval(x, y, { prng: new Prng(7) });
  const b = bootstrapInterval(x, y, { prng: new Prng(7) });
  assert.deepEqual(a, b, "same seed, same interval");
  close(a.effect, (1.0 + 0.3 + 1.9 + 0.4 + 1.4) / 5, 1e-12, "effect");
  assert.ok(a.low >= 0.3 - 1e-12 && a.high <= 1.9 + 1e-12 && a.low < a.effect && a.effect < a.high, `[${a.low}, ${a.high}]`);
  const flat = bootstrapInterval([3, 4, 5], [1, 2, 3], { prng: new Prng(0), resamples: 100 });
  assert.deepEqual([flat.low, flat.high], [2, 2]);
  assert.throws(() => bootstrapInterval([1, 2], [1], { prng: new Prng(0) }), /Cannot pair 2 values with 1/);
});

Deno.test("seedsNeeded() iterates the t quantiles in n (hand-checked steps)", () => {
  // sd/δ = 1: n = 9 gives (t(.975,8) + t(.8,8))² = (2.3060 + 0.8889)² = 10.21 > 9; n = 10 gives (2.2622 + 0.8834)² = 9.89 ≤ 10.
  assert.equal(seedsNeeded(1, 1), 10);
  assert.equal(seedsNeeded(0, 1), 2, "no spread: the minimum");
  // sd/δ = 0.5: n = 4 gives (3.1824 + 0.9785)²/4 = 4.33 > 4; n = 5 gives (2.7764 + 0.9410)²/4 = 3.45 ≤ 5.
  assert.equal(seedsNeeded(0.5, 1), 5);
  assert.ok(seedsNeeded(2, 1) > seedsNeeded(1, 1));
  assert.throws(() => seedsNeeded(1, 0), /delta must be finite and > 0: current value is 0/);
  assert.throws(() => seedsNeeded(-1, 1), /sd must be finite and >= 0/);
});

Deno.test("curveArea() is the mean height of the joined points, ends interpolated", () => {
  assert.equal(curveArea([0, 10, 20], [4, 2, 2]), 2.5); // (10·3 + 10·2)/20
  assert.equal(curveArea([0, 10, 20], [4, 2, 2], { from: 5, to: 15 }), 2.25); // (5·2.5 + 5·2)/10
  assert.equal(curveArea([25, 50], [1, 3], { to: 30 }), 1.2); // y(30) = 1.4, mean of 1 and 1.4
  assert.throws(() => curveArea([0, 10], [1, 2], { to: 20 }), /expected from < to within the curve's steps \[0, 10\]/);
  assert.throws(() => curveArea([0, 0], [1, 2]), /x must ascend/);
});

Deno.test("claimVerdict() names each outcome from the interval and the smallest effect of interest", () => {
  assert.equal(claimVerdict(-0.5, -0.1, { expected: "lower", delta: 1 }), "holds");
  assert.equal(claimVerdict(0.1, 0.5, { expected: "lower", delta: 1 }), "reversed");
  assert.equal(claimVerdict(0.1, 0.5, { expected: "higher", delta: 1 }), "holds");
  assert.equal(claimVerdict(-0.3, 0.2, { expected: "lower", delta: 0.5 }), "no effect larger than 0.3");
  assert.equal(claimVerdict(-0.3, 0.8, { expected: "lower", delta: 0.5 }), "inconclusive: 95% CI [-0.3, 0.8]");
  assert.equal(claimVerdict(-0.3, 0.4, { expected: "not-higher", delta: 0.5 }), "holds");
  assert.equal(claimVerdict(0.6, 0.9, { expected: "not-higher", delta: 0.5 }), "reversed");
  assert.equal(claimVerdict(0.2, 0.9, { expected: "not-higher", delta: 0.5 }), "inconclusive: 95% CI [0.2, 0.9]");
  assert.throws(() => claimVerdict(1, 0, { expected: "lower", delta: 1 }), /out of order: received \[1, 0\]/);
});
