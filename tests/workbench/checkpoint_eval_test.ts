/**
 * The evaluation at kept checkpoints (eval.keptSteps): the keypoint error and
 * Diversity-syn metrics on hand-made inputs, the config checks, and one
 * animate run at smoke size (a tiny foundation trained here) that records
 * pose error, diversity, background and validation loss at every kept step.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { keypointError } from "../../lib/eval/keypoint_error.ts";
import { initSynNetParams, SYN_NET_PRESETS, synFeatureNetwork } from "../../lib/eval/syn/mod.ts";
import { sampleDiversitySyn } from "../../lib/eval/syn/sample_diversity_syn.ts";
import { Prng } from "../../lib/random/mod.ts";
import { checkRunConfig, type KeptStepsConfig, resolveRuns, taskDefaults } from "../../lib/workbench/mod.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import { checkpointEval } from "../../lib/workbench/_checkpoint_eval.ts";
import batchIterations from "../../experiments/batch_iterations.ts";
import { as, runContext } from "./_fixtures.ts";
import { trainTinyFoundation } from "./_tiny_foundation.ts";

// The default (fastest) backend: MoveNet's depthwise convolutions take seconds per frame on the plain cpu one.
await initEngine({});

const ctx = runContext;

Deno.test("keypointError() divides the distance by the person's height and counts low scores as missed", () => {
  // Person 10 px tall (y 0..10); keypoint 0 off by (3, 4) = 5 px → 0.5; keypoint 1 scored 0.1 → missed.
  const truth = { persons: 1, points: new Float32Array([0, 0, 0, 10, 2, 5]), visible: new Float32Array([1, 1, 1]) };
  const det = { points: new Float32Array([3, 4, 0, 10, 2, 6]), scores: new Float32Array([0.9, 0.1, 0.8]) };
  const r = keypointError([det], [truth]);
  // Found: 0.5 and 1/10 → mean 0.3; missed 1 of 3.
  assert.ok(Math.abs(r.error - 0.3) < 1e-12);
  assert.ok(Math.abs(r.missed - 1 / 3) < 1e-12);
  assert.deepEqual([r.found, r.visible, r.skipped], [2, 3, 0]);
  // Ground truth against itself: zero error, nothing missed.
  const self = keypointError([{ points: truth.points, scores: new Float32Array(3).fill(1) }], [truth]);
  assert.deepEqual([self.error, self.missed], [0, 0]);
});

Deno.test("keypointError() matches the skeleton to the closest person, skips NaN scores and invisible points", () => {
  // Two persons; the detection lies on person 1 (shifted by 1 px on a 20 px tall person).
  const truth = {
    persons: 2,
    points: new Float32Array([0, 0, 0, 10, 0, 5, /* person 1 */ 50, 0, 50, 20, 50, 10]),
    visible: new Float32Array([1, 1, 1, 1, 1, 0]),
  };
  const det = { points: new Float32Array([51, 0, 50, 20, 0, 0]), scores: new Float32Array([0.9, NaN, 0.9]) };
  const r = keypointError([det], [truth]);
  // Keypoint 1 has no detector counterpart (NaN), keypoint 2 is invisible for person 1: one comparison, 1/20.
  assert.ok(Math.abs(r.error - 0.05) < 1e-12);
  assert.deepEqual([r.found, r.visible, r.missed], [1, 1, 0]);
  // All missed: no error (NaN), missed fraction 1; a person without height is skipped.
  const none = keypointError([{ points: det.points, scores: new Float32Array(3) }], [truth]);
  assert.ok(Number.isNaN(none.error));
  assert.equal(none.missed, 1);
  const flat = { persons: 1, points: new Float32Array([0, 5, 4, 5, 0, 0]), visible: new Float32Array([1, 1, 0]) };
  assert.equal(keypointError([det], [flat]).skipped, 1);
  assert.throws(() => keypointError([det], []), /2 must pair up|must pair up/);
  assert.throws(() => keypointError([det], [truth], { minScore: 2 }), /minScore must be in \[0, 1\]: received 2/);
});

Deno.test("sampleDiversitySyn() is 0 for identical samples, > 0 for different ones, and needs a -syn net and >= 2 sets", async () => {
  const config = SYN_NET_PRESETS["image-syn"];
  const params = initSynNetParams(config, { prng: new Prng(3) });
  const network = synFeatureNetwork(params, { config });
  const shape: [number, number, number, number, number] = [2, 2, 32, 32, 3];
  const size = shape.reduce((a, b) => a * b, 1);
  const prng = new Prng(7);
  const a = Float32Array.from({ length: size }, () => prng.uniform());
  const b = Float32Array.from({ length: size }, () => prng.uniform());
  const same = await sampleDiversitySyn([{ data: a, shape }, { data: a.slice(), shape }, { data: a.slice(), shape }], { network });
  assert.equal(same.score, 0);
  assert.deepEqual(same.perVideo, [0, 0]);
  const diff = await sampleDiversitySyn([{ data: a, shape }, { data: b, shape }], { network });
  assert.ok(diff.score > 0 && diff.score <= 2, `diversity ${diff.score}`);
  assert.ok(diff.perVideo.every((d) => d > 0));
  await assert.rejects(sampleDiversitySyn([{ data: a, shape }], { network }), /needs >= 2 sample sets/);
  await assert.rejects(
    sampleDiversitySyn([{ data: a, shape }, { data: b, shape: [1, 4, 32, 32, 3] }], { network }),
    /samples\[1\] is \[1,4,32,32,3\]/,
  );
  const plain = { ...network, name: "image-net" };
  await assert.rejects(sampleDiversitySyn([{ data: a, shape }, { data: b, shape }], { network: plain }), /-syn/);
  tf.dispose(Object.values(params));
});

Deno.test("eval.keptSteps settings are checked before any work", () => {
  const animate = (patch: Partial<KeptStepsConfig> & Record<string, unknown>) => {
    const c = taskDefaults("animate");
    c.vae.checkpoint = "x/vae";
    c.eval.keptSteps = { steps: [10, 20], diversitySeeds: 2, poseFrames: 3, ...patch };
    return c;
  };
  checkRunConfig(animate({}));
  assert.throws(() => checkRunConfig(animate({ diversitySeeds: 1 })), /eval.keptSteps.diversitySeeds must be an integer in \[2, 16\], received 1/);
  assert.throws(() => checkRunConfig(animate({ poseFrames: 6 })), /eval.keptSteps.poseFrames must be an integer in \[1, 5\], received 6/);
  assert.throws(() => checkRunConfig(animate({ diversitySeeds: 2.5 })), /eval.keptSteps.diversitySeeds must be an integer/);
  // The kept steps are steps of the training, its last one at most.
  assert.throws(() => checkRunConfig(animate({ steps: [10, 50] })), /eval.keptSteps.steps\[1\] must be an integer in \[1, 40\], received 50/);
  assert.throws(() => checkRunConfig(animate({ seeds: 2 })), /unknown config key "eval.keptSteps.seeds"/);
  // Kept steps belong to a fine-tuning: a pretraining run has none.
  assert.throws(
    () => resolveRuns("t", { question: "q", recipe: "defaults", overrides: { eval: { keptSteps: { steps: [1] } } }, axes: {} } as never),
    /misplaced config key "eval.keptSteps" \(not a key of task "pretrain": a key of task "animate"\)/,
  );
  // The experiment: effective batch 8 / 16 / 32 by accumulation, kept steps 100 / 200 / 300, 3 seeds, evaluation on.
  const runs = resolveRuns("batch_iterations", batchIterations);
  assert.equal(runs.length, 9);
  const train = runs.map((r) => as(r.config, "animate").train);
  assert.deepEqual([...new Set(train.map((t) => t.microBatch * t.accumulation))], [8, 16, 32]);
  assert.deepEqual([...new Set(runs.map((r) => r.config.seed))], [0, 1, 2]);
  for (const r of runs) {
    assert.deepEqual(as(r.config, "animate").eval, { metrics: ["psnr", "ssim", "flicker"], keptSteps: { steps: [100, 200, 300], diversitySeeds: 3, poseFrames: 3 } });
  }
});

Deno.test("an animate run with eval.keptSteps records pose error, diversity, background and val loss at every kept step", async () => {
  const root = await Deno.makeTempDir();
  await trainTinyFoundation(`${root}/foundation`);

  const [run] = resolveRuns("batch_iterations", batchIterations);
  const c = as(structuredClone(run.config), "animate");
  Object.assign(c.data, { frames: 5, height: 32, width: 32, trainClips: 8, valClips: 2, evalClips: 2 });
  Object.assign(c.vae, { checkpoint: `${root}/foundation/vae` });
  Object.assign(c.model, { preset: "wan-toy", checkpoint: `${root}/foundation/dit` });
  Object.assign(c.train, { steps: 4, microBatch: 2, schedule: { kind: "constant", warmupSteps: 1 }, checkpointEvery: 2, valEvery: 2 });
  Object.assign(c.sample, { steps: 2 });
  c.eval.keptSteps = { steps: [2, 4], diversitySeeds: 2, poseFrames: 2 };
  checkRunConfig(c);
  const dir = `${root}/animate`;
  const out = await runPipeline({ ...run, config: c }, ctx(dir, "animate"));
  assert.equal(out.interrupted, false);
  const m = out.metrics as Record<string, number>;
  for (const step of [2, 4]) {
    for (const k of ["diversity", "background", "val_loss", "pose_missed"]) {
      assert.ok(Number.isFinite(m[`${k}@${step}`]), `${k}@${step} = ${m[`${k}@${step}`]}`);
    }
    assert.ok(m[`diversity@${step}`] > 0, "two noise seeds give different samples");
    assert.ok(m[`background@${step}`] >= 0 && m[`background@${step}`] <= 1);
    assert.ok(m[`pose_missed@${step}`] >= 0 && m[`pose_missed@${step}`] <= 1);
    // The error is NaN only when the extractor found no keypoint at all (4-step models draw no character).
    const pe = m[`pose_error@${step}`];
    assert.ok(Number.isFinite(pe) ? pe >= 0 : m[`pose_missed@${step}`] === 1, `pose_error@${step} = ${pe}`);
  }
  for (const step of [2, 4]) {
    for (const k of ["psnr", "ssim", "bg_psnr"]) assert.ok(Number.isFinite(m[`${k}@${step}`]), `${k}@${step} = ${m[`${k}@${step}`]}`);
    // Strips of the ground truth, the reconstruction and the sample at each kept step.
    for (const i of [0, 1]) await Deno.stat(`${dir}/samples/step-${step}/eval-00${i}.png`);
  }
  assert.equal(Object.keys(m).filter((k) => k.includes("@")).length, 2 * 8);
  // The ceiling: the VAE's reconstruction scored as the samples are, and better than a 4-step model's samples.
  for (const k of ["psnr", "ssim", "bg_psnr", "background", "pose_missed"]) {
    assert.ok(Number.isFinite(m[`${k}_recon`]), `${k}_recon = ${m[`${k}_recon`]}`);
  }
  assert.ok(m.psnr_recon > m["psnr@4"], `recon ${m.psnr_recon} dB vs sample ${m["psnr@4"]} dB`);
  assert.ok(m.bg_psnr_recon > m["bg_psnr@4"], `recon background ${m.bg_psnr_recon} dB vs sample ${m["bg_psnr@4"]} dB`);
  // The validation loss of each kept step is the one metrics.jsonl logged at that step.
  const log = (await Deno.readTextFile(`${dir}/metrics.jsonl`)).trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(m["val_loss@2"], log.find((r) => r.phase === "dit" && r.step === 2).val_loss);
  // The extractor on the ground-truth 32×32 frames (MoveNet-lightning, 2 clips × 2 frames): it finds part of
  // the body and places what it finds within 25% of the person's height on average (measured 0.12 on 16 clips).
  assert.ok(m.pose_error_gt < 0.25, `pose_error_gt ${m.pose_error_gt}`);
  assert.ok(m.pose_missed_gt < 0.8, `pose_missed_gt ${m.pose_missed_gt}`);

  // A kept step whose checkpoint is missing is refused before any sampling.
  const bad = structuredClone(c);
  bad.eval.keptSteps = { steps: [3], diversitySeeds: 2, poseFrames: 2 };
  await assert.rejects(
    checkpointEval(bad, dir, {
      params: {},
      model: () => {
        throw new Error("no sampling expected");
      },
      clips: [],
      latentShape: [],
      cond: {},
      sampler: { solver: "euler", steps: 2, shift: 1, guidance: { kind: "none" } },
      vae: {} as never,
      finalStep: 4,
    }),
    /Cannot evaluate kept step 3: .*dit-step3.safetensors does not exist/,
  );
  await Deno.remove(root, { recursive: true });
});
