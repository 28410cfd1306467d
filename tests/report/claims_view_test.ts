import assert from "node:assert/strict";
import { claimsView } from "../../lib/report/mod.ts";

Deno.test("claimsView() shows a sweep's claims with intervals, its pending claims, and a forest plot in % of the baseline", async () => {
  const dir = await Deno.makeTempDir();
  const entry = (id: string, experiment: string, verdict: string) => ({
    id, experiment, comparison: "a − b", seeds: [0, 1, 2], effect: -0.02, baseline: 0.4, relative_effect: -0.05,
    interval: "paired t, 2 df (t = 4.30265); more", ci_low: -0.03, ci_high: -0.01, verdict, seeds_needed: 4,
  });
  await Deno.writeTextFile(`${dir}/claims.json`, JSON.stringify({
    claims: [entry("x/holds", "toy", "holds"), entry("y/other", "other", "reversed")],
    pending: [{ id: "z/later", experiment: "toy", reason: "no results/toy2/summary.parquet yet" }],
  }));
  const view = await claimsView(`${dir}/claims.json`, { experiments: ["toy"] });
  assert.deepEqual(view.claims.map((c) => c.id), ["x/holds"]);
  assert.deepEqual(view.rows[0], {
    claim: "x/holds", comparison: "a − b", seeds: "0, 1, 2", effect: "-0.02", "95% CI": "[-0.03, -0.01]", "% of baseline": "-5%",
    interval: "paired t, 2 df (t = 4.30265)", verdict: "holds", "seeds needed": 4,
  });
  assert.equal(view.rows[1].verdict, "pending: no results/toy2/summary.parquet yet");
  const trace = view.figure!.plotly.data[0] as { x: number[]; error_x: { array: number[]; arrayminus: number[] } };
  // −0.03 and −0.01 of a 0.4 baseline: −7.5% and −2.5% around −5%.
  assert.deepEqual(trace.x, [-5]);
  assert.ok(Math.abs(trace.error_x.array[0] - 2.5) < 1e-9 && Math.abs(trace.error_x.arrayminus[0] - 2.5) < 1e-9);
  assert.ok(view.figure!.svg.startsWith("<svg") && view.figure!.svg.includes("x/holds"));
  const none = await claimsView(`${dir}/missing.json`);
  assert.match(String(none.rows[0].verdict), /no claims table at .*missing.json: run `deno task claims`/);
  assert.equal(none.figure, null);
  await Deno.remove(dir, { recursive: true });
});
