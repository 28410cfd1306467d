/**
 * experiments/model_design.ts's memory budget separates the designs as the
 * paper's GPU did: the Reference Net's training-step peak is over it (the
 * paper's out-of-memory row) and every other design's is under it. Each peak
 * is measured by the pipeline's own probe (run_pipeline.ts: the design's
 * weights plus what one real training step allocates, as memory.json records
 * it) at the experiment's resolved config on the committed foundation —
 * micro-batch 8 of 9×32×32 clips with the foundation's 128-token captions —
 * with two changes that leave the probe's figure as it is: fewer clips (the
 * probe counts one micro-batch's step above what is live before it, not the
 * data set) and a 1-byte budget, so each run stops right after the probe
 * instead of training. When kernel work moves the peaks past the budget, this
 * fails: re-measure and restate the budget by the experiment's rule.
 */
import assert from "node:assert/strict";
import { initEngine } from "../../lib/engine/mod.ts";
import { parseByteSize } from "../../lib/model/designs/mod.ts";
import { designLabel, resolveRuns } from "../../lib/workbench/mod.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import modelDesign from "../../experiments/model_design.ts";
import { as, runContext } from "./_fixtures.ts";

Deno.test("model_design's memory budget lies between the Reference Net's training-step peak and every other design's", async () => {
  const runs = resolveRuns("model_design", modelDesign).filter((r) => r.config.seed === 0);
  const first = as(runs[0].config, "animate");
  assert.ok(first.model.memoryBudget, "model_design sets no memory budget");
  const budget = parseByteSize(first.model.memoryBudget);
  await initEngine({ backend: first.engine.backend, threads: first.engine.threads });
  const tmp = await Deno.makeTempDir({ prefix: "model-design-budget-" });
  // Encoded clips and conditions go to this test's own caches, not the repository's.
  Deno.env.set("WORKBENCH_CLIP_CACHE", `${tmp}/clips`);
  Deno.env.set("WORKBENCH_LATENT_CACHE", `${tmp}/latents`);
  const peaks: Record<string, number> = {};
  for (const run of runs) {
    const c = as(structuredClone(run.config), "animate");
    assert.equal(c.model.memoryBudget, first.model.memoryBudget, "one budget for every design");
    assert.equal(c.train.microBatch, 8);
    assert.deepEqual([c.data.frames, c.data.height, c.data.width], [9, 32, 32]);
    Object.assign(c.data, { trainClips: c.train.microBatch, valClips: 2, evalClips: 2 });
    c.model.memoryBudget = "1B";
    const dir = `${tmp}/${run.id}`;
    const out = await runPipeline({ ...run, config: c }, runContext(dir, run.id, "model_design"));
    const memory = JSON.parse(await Deno.readTextFile(`${dir}/memory.json`));
    assert.equal(out.metrics.oom, true, `${run.id} stopped after the probe`);
    assert.equal(memory.peak_bytes, out.metrics.peak_bytes);
    peaks[designLabel(c.model.design)] = memory.peak_bytes;
  }
  assert.deepEqual(Object.keys(peaks), ["reference-net", "light-reference-net", "full-finetune", "part-finetune", "lora"]);
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  const figures = Object.entries(peaks).map(([d, b]) => `${d} ${mb(b)}`).join(", ");
  const { "reference-net": reference, ...others } = peaks;
  const largest = Math.max(...Object.values(others));
  assert.ok(reference > budget, `the Reference Net fits under ${mb(budget)}: no out-of-memory row (peaks: ${figures})`);
  assert.ok(largest < budget, `a design other than the Reference Net is over ${mb(budget)} (peaks: ${figures})`);
});
