import assert from "node:assert/strict";
import { meanStdText, seedStats } from "../../lib/report/mod.ts";

Deno.test("seedStats() gives mean and Bessel-corrected std, counting missing values", () => {
  const s = seedStats([2, 4, 4, 4, 5, 5, 7, 9, null, NaN]);
  assert.equal(s.n, 8);
  assert.equal(s.missing, 2);
  assert.equal(s.mean, 5);
  // Σ(x−5)² = 32, /(8−1)
  assert.ok(Math.abs(s.std - Math.sqrt(32 / 7)) < 1e-12);
  assert.equal(s.min, 2);
  assert.equal(s.max, 9);
});

Deno.test("seedStats() keeps infinities and gives NaN std for one value", () => {
  assert.equal(seedStats([Infinity, 1]).mean, Infinity);
  const one = seedStats([3]);
  assert.equal(one.mean, 3);
  assert.ok(Number.isNaN(one.std));
  assert.equal(seedStats([]).n, 0);
});

Deno.test("meanStdText() formats mean ± std, a lone value, and n/a", () => {
  assert.equal(meanStdText(seedStats([1, 2, 3])), "2 ± 1");
  assert.equal(meanStdText(seedStats([0.123456, 0.123456])), "0.1235");
  assert.equal(meanStdText(seedStats([1239568, 1239568])), "1239568");
  assert.equal(meanStdText(seedStats([1239568, 1239570])), "1239569 ± 1.414");
  assert.equal(meanStdText(seedStats([7])), "7");
  assert.equal(meanStdText(seedStats([null])), "n/a");
  // mean 1.790115, std = 1.11111/√2 = 0.785674
  assert.equal(meanStdText(seedStats([1.23456, 2.34567]), { digits: 2 }), "1.8 ± 0.79");
});

Deno.test("seedTable() gives one row per group in the given order with seeds, n and mean ± std", async () => {
  const { seedTable } = await import("../../lib/report/mod.ts");
  const runs = [
    { seed: 1, d: "b", v: 2, w: null },
    { seed: 0, d: "a", v: 1, w: 5 },
    { seed: 1, d: "a", v: 3, w: 7 },
    { seed: 2, d: "a", v: 5, w: null },
  ];
  const t = seedTable(runs, { group: (r) => r.d, columns: { v: (r) => r.v, w: (r) => r.w }, order: ["a", "z", "b"], label: "design" });
  assert.deepEqual(t.rows, [
    { design: "a", seeds: "0, 1, 2", n: 3, v: "3 ± 2", w: "6 ± 1.414" },
    { design: "b", seeds: "1", n: 1, v: "2", w: "n/a" },
  ]);
  assert.equal(t.stats.a.w.missing, 1);
  assert.equal(t.stats.b.v.mean, 2);
});
