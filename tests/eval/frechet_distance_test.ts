import assert from "node:assert/strict";
import { frechetDistance, frechetDistanceFromStats, gaussianStats } from "../../lib/eval/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { assertClose, fixtures } from "./_fixtures.ts";

const X = Array.from({ length: 8 }, (_, i) => Array.from({ length: 3 }, (_, j) => ((i * j + i) % 7) + 0.5 * j));
const Y = Array.from({ length: 8 }, (_, i) => Array.from({ length: 3 }, (_, j) => ((i * i + 2 * j) % 5) + 0.25 * i));

Deno.test("frechetDistance() reproduces the reference values (unbiased and biased)", () => {
  assertClose(frechetDistance(X, Y), 4.625621017940006, 1e-9, "unbiased FD");
  assertClose(frechetDistance(X, Y, { covariance: "biased" }), 4.106012140697487, 1e-9, "biased FD");
});

Deno.test("frechetDistance() gives the same value with Jacobi and QL eigen solvers", () => {
  for (const eigenMethod of ["jacobi", "ql"] as const) {
    assertClose(frechetDistance(X, Y, { eigenMethod }), 4.625621017940006, 1e-9, eigenMethod);
  }
});

Deno.test("frechetDistance() matches pytorch-fid's formula (scipy sqrtm) on random features", () => {
  for (const c of fixtures.frechet) {
    const a = { data: Float32Array.from(c.a), shape: c.shapeA };
    const b = { data: Float32Array.from(c.b), shape: c.shapeB };
    // The tall case is full rank for scipy as well: tight; the singular ones
    // carry scipy sqrtm's own ~1e-8 error.
    const tol = c.name === "tall" ? 1e-10 : 1e-6;
    assertClose(frechetDistance(a, b), c.unbiased, tol, `${c.name} unbiased`);
    assertClose(frechetDistance(a, b, { covariance: "biased" }), c.biased, tol, `${c.name} biased`);
  }
});

Deno.test("frechetDistance() gram and covariance routes agree where both are full rank", () => {
  const p = new Prng(11);
  // N − 1 = D: Σ (rank D) and C (rank N − 1) are both full rank.
  for (const [na, nb, d] of [[7, 7, 6], [13, 9, 8]]) {
    const a = { data: p.normals(na * d), shape: [na, d] as [number, number] };
    const b = { data: p.normals(nb * d).map((x) => 2 * x + 0.5), shape: [nb, d] as [number, number] };
    const g = frechetDistance(a, b, { method: "gram" });
    const c = frechetDistance(a, b, { method: "covariance" });
    assertClose(g, c, 1e-11, `${na},${nb},${d}`);
  }
});

Deno.test("frechetDistance() is 0 for a set against itself and the mean term for a shifted copy", () => {
  const p = new Prng(5);
  const a = { data: p.normals(20 * 4), shape: [20, 4] as [number, number] };
  assert.ok(Math.abs(frechetDistance(a, a)) < 1e-12);
  const shifted = { data: a.data.map((x, i) => x + (i % 4 === 1 ? 3 : 0)), shape: a.shape };
  assertClose(frechetDistance(a, shifted), 9, 1e-6);
});

Deno.test("frechetDistance() stays finite and non-negative for wide (singular) sets", () => {
  const p = new Prng(9);
  const a = { data: p.normals(5 * 64), shape: [5, 64] as [number, number] };
  const b = { data: p.normals(6 * 64), shape: [6, 64] as [number, number] };
  const fd = frechetDistance(a, b);
  assert.ok(Number.isFinite(fd) && fd > 0, `fd = ${fd}`);
  assertClose(fd, frechetDistance(a, b, { method: "covariance", eigenMethod: "ql" }), 1e-6);
});

Deno.test("frechetDistanceFromStats() adds the 1-d case by hand: (μ1−μ2)² + (σ1 − σ2)²", () => {
  const s = (m: number, v: number) => ({ mean: new Float64Array([m]), cov: new Float64Array([v]), dim: 1, count: 2 });
  assertClose(frechetDistanceFromStats(s(1, 4), s(3, 9)), 4 + 1, 1e-12);
});

Deno.test("gaussianStats() gives the unbiased and biased covariance", () => {
  const u = gaussianStats([[1, 0], [3, 2], [5, 1]]);
  assert.deepEqual(Array.from(u.mean), [3, 1]);
  assert.deepEqual(Array.from(u.cov), [4, 1, 1, 1]);
  const b = gaussianStats([[1, 0], [3, 2], [5, 1]], { covariance: "biased" });
  assert.deepEqual(Array.from(b.cov), [8 / 3, 2 / 3, 2 / 3, 2 / 3]);
});

Deno.test("frechetDistance() rejects bad input naming it", () => {
  assert.throws(() => frechetDistance([[1, 2]], [[1, 2], [3, 4]]), { name: "RangeError", message: /covariance of a.*received 1/ });
  assert.throws(() => frechetDistance([], X), { name: "RangeError", message: /a.*empty/ });
  assert.throws(() => frechetDistance(X, [[1, 2], [3, 4]]), { name: "RangeError", message: /a \[8,3\] and b \[2,2\]/ });
  assert.throws(() => frechetDistance([[1, NaN], [2, 3]], [[1, 2], [3, 4]]), {
    name: "RangeError",
    message: /a.*NaN at row 0, column 1/,
  });
  assert.throws(() => frechetDistance(X, Y, { covariance: "sample" as "biased" }), { name: "RangeError", message: /sample/ });
  assert.throws(() => frechetDistance([[1, 2], [3]], X), { name: "RangeError", message: /row 1 has 1/ });
});
