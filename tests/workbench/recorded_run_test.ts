/**
 * recordedRun() reads a run folder's config.json of either shape as the
 * result notebooks (01–04) report it. The new shape is written here by the
 * real pipeline: rope_shift's shifted (the `part-finetune` preset) and
 * unshifted concat designs, fine-tuned at smoke size from a tiny foundation
 * into a temporary results folder through runSweep, then loaded with
 * loadSweep as the notebooks load them, beside a committed run folder of the
 * first shape. The same design groups under one label whichever shape
 * recorded it, and that label is the sweep table's `model.design` column,
 * which the claims table (`deno task claims`) selects its arms by.
 */
import assert from "node:assert/strict";
import { initEngine } from "../../lib/engine/mod.ts";
import { loadSweep } from "../../lib/report/mod.ts";
import { type ResolvedRun, resolveRuns } from "../../lib/workbench/mod.ts";
import { recordedRun } from "../../lib/workbench/recorded_run.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import { runSweep } from "../../lib/workbench/run_sweep.ts";
import ropeShift from "../../experiments/rope_shift.ts";
import { as, testEnv } from "./_fixtures.ts";
import { trainTinyFoundation } from "./_tiny_foundation.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("recordedRun() labels a first-shape run's preset name and guidance number as the notebooks showed them", () => {
  const part = recordedRun({ task: "animate", model: { design: "part-finetune" }, sample: { solver: "unipc", steps: 20, guidance: 2 } });
  assert.equal(part.design, "part-finetune");
  assert.equal(part.sampler, "unipc 20 steps, CFG 2");
  // The first shape's guidance 1 was no guidance; its train.keepSteps are today's eval.keptSteps.steps.
  const plain = recordedRun({
    task: "animate",
    model: { design: "lora", shiftedRope: false },
    train: { keepSteps: [10, 20] },
    sample: { solver: "euler", steps: 8, guidance: 1 },
    eval: { keptSteps: true },
  });
  assert.equal(plain.sampler, "euler 8 steps, no guidance");
  assert.equal(plain.design, "concat-unshifted-lora", "the preset with another placement is not the preset");
  assert.deepEqual(as(plain.config, "animate").eval.keptSteps?.steps, [10, 20]);
  assert.equal(recordedRun({ task: "feature-nets" }).design, null);
  assert.equal(recordedRun({ task: "feature-nets" }).sampler, null);
});

Deno.test("recordedRun() gives a new-shape run folder written by the pipeline the label and sampler of its first-shape twin", async () => {
  await initEngine({});
  const root = await Deno.makeTempDir({ prefix: "recorded-run-test-" });
  const foundation = await trainTinyFoundation(`${root}/foundation`);
  const small = (run: ResolvedRun): ResolvedRun => {
    const c = as(structuredClone(run.config), "animate");
    Object.assign(c.data, { frames: 5, trainClips: 4, valClips: 2, evalClips: 2 });
    Object.assign(c.vae, { checkpoint: `${foundation}/vae` });
    Object.assign(c.model, { checkpoint: `${foundation}/dit` });
    Object.assign(c.train, { steps: 2, microBatch: 2, schedule: { kind: "constant", warmupSteps: 1 }, checkpointEvery: 2, valEvery: 0 });
    return { ...run, config: c };
  };
  // Seed 0 of the shifted (a preset's name in the experiment) and the unshifted design (a value no preset holds).
  const runs = resolveRuns("rope_shift", ropeShift).map(small);
  const only = runs.filter((r) => r.config.seed === 0).slice(0, 2).map((r) => r.index);
  const res = await runSweep("rope_shift", runs, { dir: `${root}/rope_shift`, env: testEnv(), execute: runPipeline, only, log: () => {} });
  assert.deepEqual(res.states.map((s) => s.state), ["done", "done"]);

  const sweep = await loadSweep(`${root}/rope_shift`);
  assert.equal(sweep.runs.length, 2);
  const [shifted, unshifted] = sweep.runs;
  // Written in today's shape: the design itself, the guidance a kind.
  const written = shifted.config.config as { model: { design: unknown }; sample: { guidance: unknown } };
  assert.equal(typeof written.model.design, "object");
  assert.deepEqual(written.sample.guidance, { kind: "cfg", scale: 2, drop: ["context", "reference"] });
  assert.equal((unshifted.config.config as { model: { design: { shiftedRope: boolean } } }).model.design.shiftedRope, false);

  // A committed run folder of the first shape (model.design a preset's name, sample.guidance a number).
  const old = JSON.parse(await Deno.readTextFile(`${ROOT}results/model_design/9-design=part-finetune-seed=0/config.json`));
  assert.equal(old.config.model.design, "part-finetune");
  assert.equal(old.config.sample.guidance, 2);

  const [n, u, o] = [shifted.config.config, unshifted.config.config, old.config].map(recordedRun);
  assert.equal(n.design, "part-finetune");
  assert.equal(o.design, n.design);
  assert.equal(u.design, "concat-unshifted-part");
  assert.equal(n.sampler, "unipc 20 steps, CFG 2");
  assert.equal(o.sampler, n.sampler);
  assert.deepEqual(as(n.config, "animate").model.design.poses, as(o.config, "animate").model.design.poses);

  // The label is the sweep table's model.design column (claims select arms by it) and the run's result.json design.
  const column = new Map(sweep.summary.map((row) => [row.run, row["model.design"]]));
  for (const [r, label] of [[shifted, n.design], [unshifted, u.design]] as const) {
    assert.equal(column.get(r.id), label, r.id);
    assert.equal(r.result?.design, label, r.id);
  }
});
