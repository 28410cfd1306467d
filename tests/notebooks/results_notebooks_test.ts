// deno-lint-ignore-file no-explicit-any -- run folders are loose JSON, read as the notebooks read them
/**
 * The four result notebooks (01 model design, 02 timestep warmup, 03 batch ×
 * iterations, 04 benchmark tables) execute in real Jupyter (Deno kernel) in
 * their default mode, loading the committed results under results/ (or
 * WORKBENCH_RESULTS), and show what they promise: no error output, every
 * Plotly figure with its static SVG fallback, one table row per design /
 * sampler / checkpoint, and numbers equal to the ones recomputed here from
 * the run folders. A notebook whose experiment has no results folder is
 * skipped with the reason recorded (tests/_skip.ts).
 */
import assert from "node:assert/strict";
import { DESIGN_LABELS, meanStdText, seedStats } from "../../lib/report/mod.ts";
import { recordedRun } from "../../lib/workbench/mod.ts";
import { checkFigures, executeNotebook, type ExecutedNotebook, outputBundles, streamText, tables } from "./execute_notebook.ts";
import { skipWhen } from "../_skip.ts";

const root = new URL("../../", import.meta.url).pathname;
const results = Deno.env.get("WORKBENCH_RESULTS") ?? `${root}results`;
const exists = (p: string) => Deno.stat(p).then(() => true, () => false);

/** A finished run folder: its config (either recorded shape, read as today's as the notebooks read it), design label and result. */
interface Run {
  id: string;
  config: Record<string, any>;
  design: string | null;
  result: Record<string, any>;
  metrics: Record<string, any>[];
}

async function doneRuns(experiment: string): Promise<Run[]> {
  const out: Run[] = [];
  for await (const e of Deno.readDir(`${results}/${experiment}`)) {
    const d = `${results}/${experiment}/${e.name}`;
    if (!e.isDirectory || !(await exists(`${d}/config.json`))) continue;
    const status = JSON.parse(await Deno.readTextFile(`${d}/status.json`).catch(() => "{}"));
    if (status.state !== "done") continue;
    const metrics = (await Deno.readTextFile(`${d}/metrics.jsonl`).catch(() => "")).split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
    const recorded = recordedRun(JSON.parse(await Deno.readTextFile(`${d}/config.json`)).config);
    out.push({
      id: e.name,
      config: recorded.config,
      design: recorded.design,
      result: JSON.parse(await Deno.readTextFile(`${d}/result.json`)),
      metrics,
    });
  }
  return out;
}

/** The notebook's claims table lists claims.json's entries for these sweeps, with their seeds, intervals and verdicts. */
async function checkClaims(nb: ExecutedNotebook, experiments: string[]): Promise<void> {
  const file = JSON.parse(await Deno.readTextFile(`${results}/ablations/claims.json`));
  const mine = file.claims.filter((c: Record<string, any>) => experiments.includes(c.experiment));
  const t = tables(nb).find((x) => x.head[0] === "claim");
  assert.ok(t, "no claims table (first column \"claim\")");
  assert.ok(mine.length > 0, `claims.json has no claim of ${experiments.join(", ")}`);
  const f = (v: number) => String(Number(v.toPrecision(3)));
  for (const c of mine) {
    const row: string[] | undefined = t.rows.find((r) => r[0] === c.id);
    assert.ok(row, `the claims table lacks ${c.id}`);
    assert.equal(row[t.head.indexOf("verdict")], c.verdict, c.id);
    assert.equal(row[t.head.indexOf("seeds")], c.seeds.join(", "), c.id);
    assert.equal(row[t.head.indexOf("95% CI")], `[${f(c.ci_low)}, ${f(c.ci_high)}]`, c.id);
  }
  assert.ok(outputBundles(nb).some((b) => String(b["text/plain"]).endsWith("effects with 95% intervals")), "no forest plot of the claims");
}

const mean = (vals: (number | null | undefined)[]) => meanStdText(seedStats(vals.map((v) => (typeof v === "number" ? v : null))));
const env = { WORKBENCH_RESULTS: results };

const NOTEBOOKS: { name: string; experiment: string; check: (nb: ExecutedNotebook) => Promise<void> }[] = [
  {
    name: "01_model_design.ipynb",
    experiment: "model_design",
    check: async (nb) => {
      const runs = await doneRuns("model_design");
      const designs = [...new Set(runs.map((r) => r.design))];
      checkFigures(nb, 4);
      const [scale, table] = tables(nb);
      assert.equal(scale.rows.length, 1);
      assert.equal(table.rows.length, designs.length, "one row per design");
      for (const h of ["params", "trainable params", "peak memory (MB)", "wall (s)", "FID-syn", "FVD-syn", "memory outcome", "paper FID", "paper FVD"]) {
        assert.ok(table.head.includes(h), `design table lacks ${h}: ${table.head}`);
      }
      // Numbers recomputed from the run folders.
      const col = (h: string) => table.head.indexOf(h);
      for (const row of table.rows) {
        const key = Object.keys(DESIGN_LABELS).find((d) => DESIGN_LABELS[d] === row[0]) ?? row[0];
        assert.ok(designs.includes(key), `row ${row[0]} is not a design of the runs`);
        const mine = runs.filter((r) => r.design === key);
        assert.equal(row[col("peak memory (MB)")], mean(mine.map((r) => r.result.peak_bytes / 1e6)), `${row[0]} peak memory`);
        assert.equal(row[col("seeds")], [...new Set(mine.map((r) => r.config.seed))].sort((a, b) => a - b).join(", "));
        if (key === "light-reference-net") assert.equal(row[col("paper FID")], "31.01");
        if (mine.some((r) => r.result.oom)) assert.match(row[col("memory outcome")], /OUT OF MEMORY/);
      }
      const trained = designs.filter((d) => runs.some((r) => r.design === d && !r.result.oom));
      const strips = outputBundles(nb).filter((b) => "image/png" in b);
      assert.ok(strips.length >= trained.length, `expected a sample strip per trained design (${trained.length}), got ${strips.length}`);
      assert.doesNotMatch(streamText(nb), /WARNING: regenerated clip differs/);
      const ropes = outputBundles(nb).filter((b) => "image/svg+xml" in b && !("application/vnd.plotly.v1+json" in b));
      assert.equal(ropes.length, 2, "unshifted and shifted RoPE grids");
      await checkClaims(nb, ["model_design", "benchmark"]);
    },
  },
  {
    name: "02_timestep_warmup.ipynb",
    experiment: "timestep_warmup",
    check: async (nb) => {
      const runs = await doneRuns("timestep_warmup");
      const kinds = [...new Set(runs.map((r) => r.config.diffusion.timesteps.kind))];
      const plots = checkFigures(nb, 3 + runs[0].config.train.valSigmas.length);
      const warmups = kinds.filter((k) => k !== "uniform").length;
      assert.equal(plots.filter((p) => String(p["text/plain"]).endsWith("density")).length, warmups, "a density figure per warmup sampler");
      const final = tables(nb).find((t) => t.head[0] === "sampler")!;
      assert.equal(final.rows.length, kinds.length, "one row per sampler");
      const uni = runs.filter((r) => r.config.diffusion.timesteps.kind === "uniform");
      if (uni.length) {
        const row = final.rows.find((r) => r[0] === "uniform")!;
        assert.equal(row[final.head.indexOf("final val loss")], mean(uni.map((r) => r.result.final_val_loss)));
        assert.match(streamText(nb), /Uniform: final validation loss [0-9.]+ \(mean of \d+ seeds, step \d+\)/);
      }
      await checkClaims(nb, ["timestep_warmup"]);
    },
  },
  {
    name: "03_batch_iterations.ipynb",
    experiment: "batch_iterations",
    check: async (nb) => {
      const runs = await doneRuns("batch_iterations");
      const batch = (r: Run) => r.config.train.microBatch * r.config.train.accumulation;
      const batches = [...new Set(runs.map(batch))].sort((a, b) => a - b);
      const steps = [...new Set([...runs[0].config.eval.keptSteps.steps, runs[0].config.train.steps])].sort((a, b) => a - b);
      const plots = checkFigures(nb, 3);
      assert.ok(plots.some((p) => (p["application/vnd.plotly.v1+json"] as { data: { type: string }[] }).data[0].type === "heatmap"));
      const grid = tables(nb).find((t) => t.head[0] === "checkpoint")!;
      assert.equal(grid.rows.length, batches.length * steps.length, "one row per effective batch × kept step");
      const b0 = batches[0], k0 = steps[0];
      const row = grid.rows.find((r) => r[0] === `batch ${b0} · step ${k0}`)!;
      const vals = runs.filter((r) => batch(r) === b0).map((r) => r.metrics.find((m) => m.phase === "dit" && m.step === k0 && typeof m.val_loss === "number")?.val_loss);
      assert.equal(row[grid.head.indexOf("validation loss (fixed σ)")], mean(vals));
      await checkClaims(nb, ["batch_iterations"]);
    },
  },
  {
    name: "04_benchmark_tables.ipynb",
    experiment: "benchmark",
    check: async (nb) => {
      const runs = await doneRuns("benchmark");
      const designs = [...new Set(runs.map((r) => r.design))];
      checkFigures(nb, 6);
      const [, vbench, tiktok] = tables(nb);
      for (const [t, cols] of [[vbench, ["I2V Subject-syn", "Motion Smoothness-classical", "Aesthetic Quality", "FVD-syn", "FID-syn"]], [tiktok, ["SSIM", "PSNR", "LPIPS-syn", "FVD-syn", "FID-syn"]]] as const) {
        assert.equal(t.rows.length, designs.length, "one row per design");
        for (const c of [...cols, "paper FID", "paper FVD", "seeds"]) assert.ok(t.head.includes(c), `table lacks ${c}: ${t.head}`);
        assert.ok(!t.head.includes("FID") && !t.head.includes("LPIPS"), "a -syn metric under a standard name");
      }
      for (const row of vbench.rows) assert.equal(row[vbench.head.indexOf("Aesthetic Quality")], "n/a");
      const light = runs.filter((r) => r.design === "light-reference-net");
      if (light.length) {
        const row = tiktok.rows.find((r) => r[0] === "light Reference Net")!;
        assert.equal(row[tiktok.head.indexOf("FID-syn")], mean(light.map((r) => r.result["FID-syn"])));
        assert.equal(row[tiktok.head.indexOf("paper FVD")], "679");
      }
      await checkClaims(nb, ["benchmark"]);
    },
  },
];

for (const { name, experiment, check } of NOTEBOOKS) {
  const have = await exists(`${results}/${experiment}`);
  const ignore = skipWhen(
    have ? null : `${name}: no results at ${results}/${experiment} (run \`deno task ablate ${experiment}\` and commit its results)`,
  );
  Deno.test({
    name: `${name} executes in Jupyter on ${experiment} results and shows its tables and figures with SVG fallbacks`,
    ignore,
    fn: async () => await check(await executeNotebook(name, env)),
  });
}
