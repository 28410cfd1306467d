/**
 * tools/probes/branch_run.ts: a run continued from another run's resume
 * checkpoint trains exactly as a from-scratch run of its own config (same
 * per-step losses, same final weights), and a branch that would not be
 * exact is refused. Real pipeline at smoke size on a tiny foundation trained
 * here, the configs of finetune_scale_aligned_long and _9600 shrunk alike.
 */
import assert from "node:assert/strict";
import { initEngine } from "../../lib/engine/mod.ts";
import { type ResolvedRun, resolveRuns } from "../../lib/workbench/mod.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import { runSweep } from "../../lib/workbench/run_sweep.ts";
import { readJsonl } from "../../lib/train/mod.ts";
import alignedLong from "../../experiments/finetune_scale_aligned_long.ts";
import aligned9600 from "../../experiments/finetune_scale_aligned_9600.ts";
import { branchRun } from "../../tools/probes/branch_run.ts";
import { as, testEnv } from "../workbench/_fixtures.ts";
import { trainTinyFoundation } from "../workbench/_tiny_foundation.ts";

await initEngine({});

/** The run at smoke size with `steps` DiT steps, a kept step at 2, on the foundation trained here. */
function small(run: ResolvedRun, foundation: string, steps: number, kept: number[]): ResolvedRun {
  const c = as(structuredClone(run.config), "animate");
  Object.assign(c.data, { frames: 5, height: 32, width: 32, trainClips: 8, valClips: 2, evalClips: 2 });
  Object.assign(c.vae, { checkpoint: `${foundation}/vae` });
  Object.assign(c.model, { preset: "wan-toy", checkpoint: `${foundation}/dit` });
  Object.assign(c.train, { steps, microBatch: 2, schedule: { kind: "constant", warmupSteps: 1 }, checkpointEvery: 2, valEvery: 2 });
  c.eval.keptSteps = { steps: kept, diversitySeeds: 2, poseFrames: 1 };
  c.eval.metrics = [];
  Object.assign(c.sample, { steps: 2 });
  return { ...run, config: c };
}

const ditLosses = async (dir: string) =>
  ((await readJsonl(`${dir}/metrics.jsonl`)) ?? []).filter((r) => r?.phase === "dit").map((r) => JSON.stringify(r, ["step", "loss", "val_loss"]));

Deno.test("a branched run trains as a from-scratch run of its config; inexact branches are refused", async () => {
  const root = await Deno.makeTempDir();
  await trainTinyFoundation(`${root}/foundation`);
  const env = testEnv("cpu");
  const sweep = (name: string, run: ResolvedRun) => runSweep(name, [run], { dir: `${root}/${name}`, env, execute: runPipeline, log: () => {} });

  const source = small(resolveRuns("finetune_scale_aligned_long", alignedLong)[0], `${root}/foundation`, 4, [2]);
  const target = small(resolveRuns("finetune_scale_aligned_9600", aligned9600)[0], `${root}/foundation`, 8, [2, 4]);
  assert.equal((await sweep("source", source)).states[0].state, "done");
  assert.equal((await sweep("scratch", target)).states[0].state, "done");

  const record = await branchRun(`${root}/source/${source.id}`, target, `${root}/branched/${target.id}`);
  assert.equal(record.step, 4);
  assert.match(record.checkpoint_sha256, /^[0-9a-f]{64}$/);
  const [scratch, branched] = [`${root}/scratch/${target.id}`, `${root}/branched/${target.id}`];
  // A mark on the copied step-1 record: a run that resumes at step 4 keeps it, one that starts over drops it.
  const lines = (await Deno.readTextFile(`${branched}/metrics.jsonl`)).trim().split("\n").map((l) => JSON.parse(l));
  const first = lines.find((r) => r.phase === "dit" && r.step === 1);
  first.copied_from_source = true;
  await Deno.writeTextFile(`${branched}/metrics.jsonl`, lines.map((r) => JSON.stringify(r)).join("\n") + "\n");
  assert.equal((await sweep("branched", target)).states[0].state, "done");
  const kept = ((await readJsonl(`${branched}/metrics.jsonl`)) ?? []).find((r) => r?.phase === "dit" && r.step === 1);
  assert.equal(kept?.copied_from_source, true, "the branched run resumed at the source's step instead of starting over");
  assert.deepEqual(await ditLosses(branched), await ditLosses(scratch), "per-step losses");
  assert.ok((await ditLosses(scratch)).length >= 8);
  assert.deepEqual(await Deno.readFile(`${branched}/dit/design.safetensors`), await Deno.readFile(`${scratch}/dit/design.safetensors`), "final weights");
  const result = (d: string) => Deno.readTextFile(`${d}/result.json`).then((t) => JSON.parse(t) as Record<string, unknown>);
  const [a, b] = [await result(scratch), await result(branched)];
  for (const k of ["bg_psnr@4", "bg_psnr@8", "psnr@8", "final_val_loss"]) assert.equal(b[k], a[k], k);

  // Not the same computation: another learning rate, a decaying schedule, fewer steps, an existing folder.
  const lr = structuredClone(target);
  as(lr.config, "animate").train.lr *= 2;
  await assert.rejects(branchRun(`${root}/source/${source.id}`, lr, `${root}/x1`), /the configs differ in train\.lr/);
  const shorter = small(resolveRuns("finetune_scale_aligned_9600", aligned9600)[0], `${root}/foundation`, 4, [2]);
  await assert.rejects(branchRun(`${root}/source/${source.id}`, shorter, `${root}/x2`), /expected more than the source's 4/);
  await assert.rejects(branchRun(`${root}/source/${source.id}`, target, branched), /it exists/);
  const cosine = structuredClone(source);
  as(cosine.config, "animate").train.schedule = { kind: "cosine", warmupSteps: 1, minLr: 0 };
  assert.equal((await sweep("cosine", cosine)).states[0].state, "done");
  const cosTarget = structuredClone(target);
  as(cosTarget.config, "animate").train.schedule = { kind: "cosine", warmupSteps: 1, minLr: 0 };
  await assert.rejects(branchRun(`${root}/cosine/${source.id}`, cosTarget, `${root}/x3`), /schedule is "cosine", expected "constant"/);
});
