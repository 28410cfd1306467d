import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { computeClaims, pairedTInterval, type PaperClaim } from "../../lib/report/mod.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("computeClaims() reproduces the committed results/ablations/claims.json from the committed tables, byte for byte", async () => {
  const committed = await Deno.readTextFile(`${root}results/ablations/claims.json`);
  const now = JSON.stringify(await computeClaims(`${root}results`), null, 2) + "\n";
  if (now !== committed) {
    // Name the first claim that differs before failing on the whole text.
    const [a, b] = [JSON.parse(now), JSON.parse(committed)];
    for (const [i, c] of a.claims.entries()) assert.deepEqual(c, b.claims[i], `claim ${c.id} differs: run \`deno task claims\``);
    assert.deepEqual(a, b);
  }
  assert.equal(now, committed);
});

/** A results folder with one two-arm sweep: a summary table and each run's validation curve. */
async function fixture(): Promise<string> {
  const dir = await Deno.makeTempDir();
  const runs = [
    { run: "0-a-0", seed: 0, arm: "a", v: 0.50, curve: [0.9, 0.7, 0.5] },
    { run: "1-a-1", seed: 1, arm: "a", v: 0.70, curve: [0.8, 0.6, 0.6] },
    { run: "2-a-2", seed: 2, arm: "a", v: 0.40, curve: [1.0, 0.8, 0.4] },
    { run: "3-b-0", seed: 0, arm: "b", v: 0.30, curve: [1.0, 0.8, 0.6] },
    { run: "4-b-1", seed: 1, arm: "b", v: 0.40, curve: [1.0, 0.8, 0.6] },
    { run: "5-b-2", seed: 2, arm: "b", v: 0.30, curve: [1.0, 0.8, 0.6] },
  ];
  await Deno.mkdir(`${dir}/toy`);
  pl.DataFrame({ run: runs.map((r) => r.run), seed: runs.map((r) => r.seed), arm: runs.map((r) => r.arm), score: runs.map((r) => r.v) })
    .writeParquet(`${dir}/toy/summary.parquet`);
  for (const r of runs) {
    await Deno.mkdir(`${dir}/toy/${r.run}`);
    const lines = r.curve.map((y, i) => JSON.stringify({ phase: "dit", step: 10 * (i + 1), data_position: 80 * (i + 1), val_loss: y }));
    await Deno.writeTextFile(`${dir}/toy/${r.run}/metrics.jsonl`, lines.join("\n") + "\n");
  }
  return dir;
}

const base = {
  claim: { text: "a beats b", section: "§0", number: null },
  experiment: "toy",
  metric: "score",
  arms: [{ label: "a", where: { arm: "a" } }, { label: "b", where: { arm: "b" } }],
  pairing: "by seed",
  effectOfInterest: { kind: "relative", value: 0.1, why: "test" },
  interval: { kind: "paired-t" },
} as const;

Deno.test("computeClaims() pairs the arms by seed, takes the paired t interval and judges it; a missing sweep is pending", async () => {
  const dir = await fixture();
  const claims: PaperClaim[] = [
    { ...base, id: "column", measure: { kind: "column", column: "score" }, expected: "higher" },
    // Mean validation loss over steps [10, 30], two 10-step trapezoids / 20: a = (0.8 + 0.6)/2, (0.7 + 0.6)/2, (0.9 + 0.6)/2 = 0.7, 0.65, 0.75;
    // b = (0.9 + 0.7)/2 = 0.8 each.
    { ...base, id: "area", measure: { kind: "curve-area", key: "val_loss", to: "end" }, expected: "lower" },
    { ...base, id: "missing", experiment: "nothing", measure: { kind: "column", column: "score" }, expected: "lower" },
  ];
  const t = await computeClaims(dir, { claims, prefix: "r" });
  const [col, area] = t.claims;
  // d = 0.2, 0.3, 0.1: mean 0.2, sd 0.1, t(0.975, 2) = 4.3026527 → [0.2 − 0.2484138, 0.2 + 0.2484138].
  assert.deepEqual(col.seeds, [0, 1, 2]);
  assert.deepEqual(col.values, { a: [0.5, 0.7, 0.4], b: [0.3, 0.4, 0.3] });
  assert.ok(Math.abs(col.effect - 0.2) < 1e-12);
  assert.equal(col.ci_low, Number((0.2 - 0.2484138).toPrecision(6)));
  assert.equal(col.ci_high, Number((0.2 + 0.2484138).toPrecision(6)));
  assert.equal(col.verdict, "inconclusive: 95% CI [-0.0484, 0.448]");
  assert.equal(col.comparison, "a − b");
  assert.deepEqual(col.sources, ["r/toy/summary.parquet"]);
  // δ = 10% of b's mean (1/3) = 0.0333…, sd 0.1, so (sd/δ)² = 9: n = 72 needs (1.99394 + 0.84720)²·9 = 72.62 > 72;
  // n = 73 needs (1.99346 + 0.84706)²·9 = 72.60 ≤ 73.
  assert.equal(col.effect_of_interest.value, Number((0.1 / 3).toPrecision(6)));
  assert.equal(col.seeds_needed, 73);
  const want = pairedTInterval([0.7, 0.65, 0.75], [0.8, 0.8, 0.8]);
  assert.deepEqual(area.values.a, [0.7, 0.65, 0.75]);
  assert.equal(area.ci_low, Number(want.low.toPrecision(6)));
  assert.equal(area.sources.length, 7, "the table and the six metrics files");
  assert.deepEqual(t.pending.map((p) => p.id), ["missing"]);
  assert.match(t.pending[0].reason, /no r\/nothing\/summary.parquet yet/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("computeClaims() refuses an arm that holds two runs of one seed, naming the arm and the seeds", async () => {
  const dir = await fixture();
  const claims: PaperClaim[] = [
    { ...base, id: "loose", arms: [{ label: "all", where: {} }], measure: { kind: "column", column: "score" }, expected: "lower" },
  ];
  await assert.rejects(() => computeClaims(dir, { claims }), /claim loose by seed: arm "all" has several runs of one seed .* \(seeds 0, 1, 2, 0, 1, 2\)/);
  await Deno.remove(dir, { recursive: true });
});
