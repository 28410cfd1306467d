/**
 * The paper's training-strategy experiments, run at smoke size: each run of
 * experiments/model_design.ts, timestep_warmup.ts and batch_iterations.ts
 * (first seed of every combination) goes through the real pipeline with its
 * own axes, but on a tiny foundation trained here (the `wan-toy` DiT, so the
 * light Reference Net's injection into block 2 exists) and with tiny data and
 * steps.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { designLabel, type ResolvedRun, resolveRuns } from "../../lib/workbench/mod.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import { readJsonl } from "../../lib/train/mod.ts";
import warmup from "../../experiments/timestep_warmup.ts";
import batchIterations from "../../experiments/batch_iterations.ts";
import modelDesign from "../../experiments/model_design.ts";
import { as, runContext } from "./_fixtures.ts";
import { trainTinyFoundation } from "./_tiny_foundation.ts";

await initEngine({});

const ctx = runContext;

/** Keeps the run's axes (timesteps, accumulation, kept steps…) and shrinks everything else. */
function atSmokeSize(run: ResolvedRun, foundation: string): ResolvedRun {
  const c = as(structuredClone(run.config), "animate");
  Object.assign(c.data, { frames: 5, height: 32, width: 32, trainClips: 8, valClips: 2, evalClips: 2 });
  Object.assign(c.vae, { checkpoint: `${foundation}/vae` });
  Object.assign(c.model, { preset: "wan-toy", checkpoint: `${foundation}/dit` });
  Object.assign(c.train, { steps: 4, microBatch: 2, schedule: { kind: "constant", warmupSteps: 1 }, checkpointEvery: 2, valEvery: 2 });
  if (c.eval.keptSteps) c.eval.keptSteps.steps = [2, 4];
  if (c.diffusion.timesteps.kind.endsWith("warmup")) Object.assign(c.diffusion.timesteps, { warmup: 3 });
  Object.assign(c.sample, { steps: 2 });
  return { ...run, config: c };
}

Deno.test("model_design, timestep_warmup and batch_iterations run through the real pipeline at smoke size", async (t) => {
  const root = await Deno.makeTempDir();
  await trainTinyFoundation(`${root}/foundation`);

  const firstSeed = (runs: ResolvedRun[]) => runs.filter((r) => r.config.seed === 0);
  await t.step("model_design: all four designs and LoRA fine-tune from the same foundation and sample with CFG", async () => {
    const runs = firstSeed(resolveRuns("model_design", modelDesign));
    const names = runs.map((r) => designLabel(as(r.config, "animate").model.design));
    assert.deepEqual(names, ["reference-net", "light-reference-net", "full-finetune", "part-finetune", "lora"]);
    const rows: Record<string, Record<string, unknown>> = {};
    for (const run of runs) {
      const before = tf.memory().numTensors;
      const out = await runPipeline(atSmokeSize(run, `${root}/foundation`), ctx(`${root}/design/${run.id}`, run.id));
      assert.equal(out.interrupted, false);
      // Nothing outlives a run (the conditions dropConditions hands back used to leak every step).
      assert.equal(tf.memory().numTensors, before, `${run.id} left ${tf.memory().numTensors - before} tensors`);
      assert.deepEqual(as(run.config, "animate").sample.guidance, { kind: "cfg", scale: 2, drop: ["context", "reference"] });
      rows[designLabel(as(run.config, "animate").model.design)] = out.metrics;
    }
    const p = (d: string, k: string) => rows[d][k] as number;
    // The Reference Net about doubles the network; the light one is in between; part trains a strict subset.
    assert.ok(p("reference-net", "total_params") > 1.7 * p("full-finetune", "total_params"));
    assert.ok(p("light-reference-net", "total_params") > p("full-finetune", "total_params"));
    assert.ok(p("light-reference-net", "total_params") < p("reference-net", "total_params"));
    assert.equal(p("full-finetune", "trainable_params"), p("full-finetune", "total_params"));
    assert.ok(p("part-finetune", "trainable_params") < p("full-finetune", "trainable_params"));
    // LoRA trains fewer values than part fine-tuning and saves its adapters beside the merged weights.
    assert.ok(p("lora", "trainable_params") < p("part-finetune", "trainable_params"));
    const loraDir = `${root}/design/${runs[4].id}/dit`;
    assert.ok((await Deno.stat(`${loraDir}/lora.safetensors`)).size < (await Deno.stat(`${loraDir}/design.safetensors`)).size);
    assert.ok(p("reference-net", "peak_bytes") > p("part-finetune", "peak_bytes"));
    for (const d of Object.keys(rows)) assert.ok(Number.isFinite(p(d, "psnr")), `${d} psnr`);
    for (const d of Object.keys(rows)) assert.ok(Number.isFinite(p(d, "final_val_loss_character")), `${d} character loss`);

    // Fine-tuning with the character weighted in the loss: trains, and leaves nothing behind.
    const weighted = atSmokeSize(runs[3], `${root}/foundation`);
    as(weighted.config, "animate").train.maskWeight = 10;
    const before = tf.memory().numTensors;
    const w = await runPipeline(weighted, ctx(`${root}/design/weighted`, "weighted"));
    assert.equal(w.interrupted, false);
    assert.equal(tf.memory().numTensors, before);
    assert.ok(Number.isFinite(w.metrics.final_val_loss_character as number));
    assert.notEqual(w.metrics.final_loss, rows["part-finetune"].final_loss, "the weighted loss differs from the plain one");

    // Over the memory budget (the paper's "out of memory" row): recorded as an outcome, no training, no samples.
    const refNet = runs[0];
    const over = atSmokeSize(refNet, `${root}/foundation`);
    // Half the measured peak (the probe's peak varies by a fraction of a percent with what ran before it in the process).
    const budget = Math.floor(p("reference-net", "peak_bytes") / 2);
    as(over.config, "animate").model.memoryBudget = String(budget);
    const dir = `${root}/design/over-budget`;
    const out = await runPipeline(over, ctx(dir, "over-budget"));
    assert.equal(out.interrupted, false);
    assert.equal(out.metrics.oom, true);
    assert.ok((out.metrics.peak_bytes as number) > budget);
    assert.match(String(out.metrics.oom_reason), /reference-net/);
    assert.equal(out.metrics.psnr, undefined);
    const mem = JSON.parse(await Deno.readTextFile(`${dir}/memory.json`));
    assert.deepEqual(mem, { design: "reference-net", peak_bytes: out.metrics.peak_bytes, budget_bytes: budget, fits: false });
    await assert.rejects(Deno.stat(`${dir}/samples`));
    const fits = JSON.parse(await Deno.readTextFile(`${root}/design/${runs[3].id}/memory.json`));
    assert.equal(fits.fits, true);
  });
  await t.step("timestep_warmup: every sampler trains, validates at fixed σ and logs loss by bucket", async () => {
    const runs = firstSeed(resolveRuns("timestep_warmup", warmup));
    assert.deepEqual(runs.map((r) => as(r.config, "animate").diffusion.timesteps.kind), ["uniform", "low-noise-warmup", "high-noise-warmup"]);
    const vals: number[] = [];
    for (const run of runs) {
      const dir = `${root}/warmup/${run.id}`;
      const out = await runPipeline(atSmokeSize(run, `${root}/foundation`), ctx(dir, run.id));
      assert.equal(out.interrupted, false);
      assert.equal(out.metrics.design, "part-finetune");
      assert.ok(Number.isFinite(out.metrics.psnr as number));
      const log = (await readJsonl(`${dir}/metrics.jsonl`))!.filter((r) => r?.phase === "dit");
      assert.equal(log.length, 4);
      assert.ok(log.every((r) => "loss_s0" in r! && "loss_s4" in r!));
      assert.ok(typeof log[1]!.val_loss === "number" && typeof log[3]!.val_loss === "number");
      vals.push(log[1]!.val_loss as number);
    }
    // Step 2 validation losses are comparable numbers from the same fixed σ/noise grid.
    assert.equal(vals.length, 3);
    assert.ok(vals.every((v) => v > 0 && v < 10));
  });
  await t.step("batch_iterations: effective batch by accumulation, checkpoints kept at increasing steps", async () => {
    const runs = firstSeed(resolveRuns("batch_iterations", batchIterations));
    assert.deepEqual(runs.map((r) => as(r.config, "animate").train.accumulation), [1, 2, 4]);
    for (const run of runs) {
      const dir = `${root}/batch/${run.id}`;
      await runPipeline(atSmokeSize(run, `${root}/foundation`), ctx(dir, run.id));
      const log = (await readJsonl(`${dir}/metrics.jsonl`))!.filter((r) => r?.phase === "dit");
      // Samples seen = step × micro-batch × accumulation.
      assert.equal(log.at(-1)!.data_position, 4 * 2 * as(run.config, "animate").train.accumulation);
      await Deno.stat(`${dir}/checkpoints/dit-step2.safetensors`);
      await Deno.stat(`${dir}/checkpoints/dit-step4.safetensors`);
    }
  });
});
