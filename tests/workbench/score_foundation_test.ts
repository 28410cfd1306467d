/**
 * Sampling is a task, scoring an evaluator over saved samples: a finished tiny
 * foundation's samples are drawn into a sample folder (sampler.json verbatim,
 * sample_set.json, latents, videos, strips) by sampleFoundation() or the
 * `sample` task, and scoreFoundation() scores the folder (MoveNet keypoints on
 * the samples, the VAE's reconstructions and the ground truth; -syn networks),
 * never sampling itself; a VAE-only run is scored on its reconstructions.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { loadGraphModel } from "@tensorflow/tfjs-converter";
import type { SamplerConfig } from "../../lib/diffusion/mod.ts";
import { initEngine } from "../../lib/engine/mod.ts";
import { loadSynNetworks } from "../../lib/eval/syn/load_syn_networks.ts";
import { readSafetensors } from "../../lib/io/safetensors.ts";
import { detectMovenet, ensureHumanModels } from "../../lib/pose/mod.ts";
import { resolveRuns, type RunConfig, writeJson } from "../../lib/workbench/mod.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import { sampleFoundation } from "../../lib/workbench/sample_foundation.ts";
import { FOUNDATION_SCORE_FILE, scoreFoundation } from "../../lib/workbench/score_foundation.ts";
import { parseScoreFoundationArgs } from "../../lib/workbench/score_foundation_cli.ts";
import { makeClips } from "../../lib/workbench/_clips.ts";
import { evenFrames } from "../../lib/workbench/_even_frames.ts";
import smoke from "../../experiments/smoke.ts";
import { as, runContext } from "./_fixtures.ts";

await initEngine({});

/** A finished tiny foundation (9×16×16, or `frames`): its run folder with config.json, vae/ and dit/; DiT steps 0 makes it a VAE-only run (task "vae"). */
async function tinyFoundation(dir: string, ditSteps: number, frames = 9) {
  const [run] = resolveRuns("smoke", smoke);
  const c = as(run.config, "pretrain");
  Object.assign(c.vae, { preset: "vae-smoke", steps: 2 });
  Object.assign(c.data, { frames, height: 16, width: 16, trainClips: 4, valClips: 2, evalClips: 1 });
  Object.assign(c.train, { steps: Math.max(1, ditSteps), valEvery: 0, microBatch: 2 });
  Object.assign(c.sample, { steps: 2, guidance: { kind: "cfg", scale: 2, drop: ["context"] } });
  const config: RunConfig = ditSteps === 0 ? { task: "vae", seed: c.seed, engine: c.engine, data: c.data, vae: c.vae } : c;
  const out = await runPipeline({ ...run, config }, runContext(dir, "f"));
  assert.equal(out.interrupted, false);
  await writeJson(`${dir}/config.json`, { config });
  return config;
}

const CFG2: SamplerConfig = { solver: "euler", steps: 2, shift: 1, guidance: { kind: "cfg", scale: 2, drop: ["context"] } };
const git = { commit: "abc", dirty: false };

async function detectors() {
  const networks = await loadSynNetworks();
  const poseModel = await loadGraphModel(new URL(`file://${await ensureHumanModels()}movenet-lightning.json`).href);
  return { networks, poseModel, dispose: () => (networks.dispose(), poseModel.dispose()) };
}

Deno.test("sampleFoundation() writes a sample folder with its sampler verbatim, and scoreFoundation() scores the saved samples, the reconstructions and the ground truth", async () => {
  const root = await Deno.makeTempDir();
  const dir = `${root}/foundation`;
  await tinyFoundation(dir, 1);
  const d = await detectors();
  const opts = { poseFrames: 2, networks: d.networks, poseModel: d.poseModel, git };
  const before = tf.memory().numTensors;
  const set = await sampleFoundation(dir, { sampler: CFG2, seed: 0, clips: 3, strips: 2, out: `${root}/cfg`, git });
  assert.equal(tf.memory().numTensors, before, "nothing outlives the sampling");
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${root}/cfg/sampler.json`)), CFG2);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${root}/cfg/sample_set.json`)), set);
  assert.deepEqual([set.foundation, set.clips, set.seed, set.strips, set.git_commit], [dir, 3, 0, 2, "abc"]);
  const files = [...Deno.readDirSync(`${root}/cfg`)].map((e) => e.name).sort();
  assert.deepEqual(files, ["eval-000.png", "eval-001.png", "latents.safetensors", "sample_set.json", "sampler.json", "videos.safetensors"]);
  const { tensors } = await readSafetensors(`${root}/cfg/videos.safetensors`);
  assert.deepEqual(tensors.samples.shape, [3, 9, 16, 16, 3]);
  assert.equal((await readSafetensors(`${root}/cfg/latents.safetensors`)).tensors.latents.shape[0], 3);
  // Two strips of ground truth, reconstruction and sample: 9 frames of 16 px with 1 px gaps, 3 rows.
  const png = new DataView((await Deno.readFile(`${root}/cfg/eval-001.png`)).buffer);
  assert.deepEqual([png.getUint32(16), png.getUint32(20)], [9 * 16 + 8, 3 * 16 + 2]);

  const score = await scoreFoundation(`${root}/cfg`, opts);
  assert.equal(tf.memory().numTensors, before, "nothing outlives the score");
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${root}/cfg/${FOUNDATION_SCORE_FILE}`)), score);
  assert.deepEqual([score.run, score.clips, score.seed, score.pose_frames], [dir, 3, 0, [0, 8]]);
  for (const group of [score.samples!, score.reconstructions]) {
    for (const [k, v] of Object.entries(group)) for (const x of [v].flat()) assert.ok(Number.isFinite(x), `${k} holds ${x}`);
  }
  // The ground truth's keypoints, by hand: MoveNet's 17 scores on frames 0 and 8 of the first 3 evaluation clips.
  const clips = makeClips({ set: "pretrain", split: "eval", count: 3, frames: 9, height: 16, width: 16 });
  const scores: number[] = [];
  for (const c of clips) {
    for (const f of [0, 8]) {
      const image = tf.tensor3d(c.video.subarray(f * 16 * 16 * 3, (f + 1) * 16 * 16 * 3), [16, 16, 3]);
      scores.push(...(await detectMovenet(d.poseModel, image)).scores);
      image.dispose();
    }
  }
  assert.equal(score.ground_truth.keypoints_found, scores.filter((s) => s >= 0.3).length / scores.length);
  assert.ok(Math.abs(score.ground_truth.keypoint_score - scores.reduce((a, b) => a + b, 0) / scores.length) < 1e-12);
  const perClip = [0, 1, 2].map((c) => scores.slice(c * 34, (c + 1) * 34).filter((s) => s >= 0.3).length / 34);
  assert.deepEqual(score.ground_truth.keypoints_found_per_clip, perClip);
  const mean = perClip.reduce((a, b) => a + b) / 3;
  assert.ok(Math.abs(score.ground_truth.keypoints_found_se - Math.sqrt(perClip.reduce((a, x) => a + (x - mean) ** 2, 0) / 2 / 3)) < 1e-12);

  // Scoring is deterministic; the same sampler and seed draw the same samples; another seed, scale or start moves
  // only the samples (the clips and the VAE are the same).
  assert.deepEqual((await scoreFoundation(`${root}/cfg`, { ...opts, write: false })).samples, score.samples);
  await sampleFoundation(dir, { sampler: CFG2, seed: 0, clips: 3, strips: 0, out: `${root}/again`, git });
  assert.deepEqual((await readSafetensors(`${root}/again/videos.safetensors`)).tensors.samples.data, tensors.samples.data);
  for (const [name, sampler, seed] of [
    ["seed", CFG2, 1],
    ["scale", { ...CFG2, guidance: { kind: "cfg", scale: 4, drop: ["context"] } }, 0],
    ["strength", { ...CFG2, init: { strength: 0.5 } }, 0],
  ] as [string, SamplerConfig, number][]) {
    await sampleFoundation(dir, { sampler, seed, clips: 3, strips: 0, out: `${root}/${name}`, git });
    const other = await scoreFoundation(`${root}/${name}`, { ...opts, write: false });
    assert.notEqual(other.samples!.fid_syn, score.samples!.fid_syn, name);
    assert.deepEqual(other.reconstructions, score.reconstructions, name);
    assert.deepEqual(other.ground_truth, score.ground_truth, name);
  }
  // Classifier-free scale 1 and no guidance are the same sampler in effect.
  await sampleFoundation(dir, { sampler: { ...CFG2, guidance: { kind: "none" } }, seed: 0, clips: 3, strips: 0, out: `${root}/none`, git });
  await sampleFoundation(dir, { sampler: { ...CFG2, guidance: { kind: "cfg", scale: 1, drop: ["context"] } }, seed: 0, clips: 3, strips: 0, out: `${root}/one`, git });
  assert.deepEqual((await readSafetensors(`${root}/none/videos.safetensors`)).tensors.samples.data, (await readSafetensors(`${root}/one/videos.safetensors`)).tensors.samples.data);
  d.dispose();
  await Deno.remove(root, { recursive: true });
});

Deno.test("autoguidance by a weaker DiT on the same VAE moves only the samples, and the run as its own guide on the empty caption is classifier-free guidance", async () => {
  const root = await Deno.makeTempDir();
  const dir = `${root}/foundation`, weak = `${root}/weak`;
  await tinyFoundation(dir, 2);
  await tinyFoundation(weak, 1); // the same seed and VAE phase: the same VAE bytes, a DiT trained one step
  const d = await detectors();
  const opts = { poseFrames: 2, networks: d.networks, poseModel: d.poseModel, write: false, git };
  const draw = async (name: string, guidance: SamplerConfig["guidance"], extra: Partial<SamplerConfig> = {}) => {
    await sampleFoundation(dir, { sampler: { ...CFG2, guidance, ...extra }, seed: 0, clips: 3, strips: 0, out: `${root}/${name}`, git });
    return await scoreFoundation(`${root}/${name}`, opts);
  };
  const auto = { kind: "autoguidance", scale: 2, guide: `${weak}/`, caption: "same" } as const;
  const plain = await draw("plain", CFG2.guidance);
  const before = tf.memory().numTensors;
  const guided = await draw("auto", auto);
  assert.equal(tf.memory().numTensors, before, "nothing outlives it, the guide's weights included");
  assert.notEqual(guided.samples!.fid_syn, plain.samples!.fid_syn);
  assert.deepEqual(guided.reconstructions, plain.reconstructions);
  assert.notEqual((await draw("empty", { ...auto, caption: "empty" })).samples!.fid_syn, guided.samples!.fid_syn);
  assert.deepEqual((await draw("cfg1", { ...auto, cfg: 1 })).samples, guided.samples, "a classifier-free term at 1 is none");
  assert.notEqual((await draw("cfg3", { ...auto, cfg: 3 })).samples!.fid_syn, guided.samples!.fid_syn);
  // An interval holding every step's σ changes nothing; one holding none is no guidance at all.
  assert.deepEqual((await draw("every", auto, { interval: { min: 0, max: 1 } })).samples, guided.samples);
  assert.deepEqual((await draw("never", auto, { interval: { min: 2, max: 3 } })).samples, (await draw("unguided", { kind: "none" })).samples);
  // The run as its own guide on the empty caption: v(∅) + w·(v(c) − v(∅)), classifier-free guidance.
  const self = await draw("self", { ...auto, guide: dir, caption: "empty" });
  assert.ok(Math.abs(self.samples!.psnr - plain.samples!.psnr) < 1e-9, `${self.samples!.psnr} vs ${plain.samples!.psnr}`);
  assert.deepEqual(self.samples!.keypoints_found_per_clip, plain.samples!.keypoints_found_per_clip);

  // Refused before sampling: a guide on another VAE, a VAE-only guide, a folder that is no run.
  await Deno.mkdir(`${root}/other`);
  for (const sub of ["dit", "vae"]) {
    await Deno.mkdir(`${root}/other/${sub}`);
    for (const f of Deno.readDirSync(`${weak}/${sub}`)) await Deno.copyFile(`${weak}/${sub}/${f.name}`, `${root}/other/${sub}/${f.name}`);
  }
  await Deno.copyFile(`${weak}/config.json`, `${root}/other/config.json`);
  const bytes = await Deno.readFile(`${root}/other/vae/vae.safetensors`);
  bytes[bytes.length - 1] ^= 1;
  await Deno.writeFile(`${root}/other/vae/vae.safetensors`, bytes);
  const refuse = (guide: string, message: RegExp) =>
    assert.rejects(() => sampleFoundation(dir, { sampler: { ...CFG2, guidance: { ...auto, guide } }, seed: 0, clips: 3, strips: 0, out: `${root}/x`, git }), (e: Error) => e instanceof RangeError && message.test(e.message));
  await refuse(`${root}/other`, /their VAEs differ/);
  await tinyFoundation(`${root}/vae-only`, 0);
  await refuse(`${root}/vae-only`, /Cannot guide with .*vae-only: Cannot sample .*VAE-only run/);
  await refuse(`${root}/none`, /Cannot guide with .*none: .*has no config\.json/);
  d.dispose();
  await Deno.remove(root, { recursive: true });
});

Deno.test("scoreFoundation() scores a VAE-only run on its reconstructions alone, an image stage on its one frame", async () => {
  const root = await Deno.makeTempDir();
  const d = await detectors();
  await tinyFoundation(`${root}/vae`, 0);
  const before = tf.memory().numTensors;
  const score = await scoreFoundation(`${root}/vae`, { clips: 3, poseFrames: 2, networks: d.networks, poseModel: d.poseModel, git });
  assert.equal(tf.memory().numTensors, before, "nothing outlives the score");
  assert.equal(score.samples, null);
  assert.equal(score.seed, null);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${root}/vae/${FOUNDATION_SCORE_FILE}`)), score);
  assert.equal(score.reconstructions.keypoints_found_per_clip.length, 3);
  // An image stage (1-frame clips): MoveNet looks at frame 0 by default; FVD-syn needs clips, so it is null.
  await tinyFoundation(`${root}/image`, 0, 1);
  const image = await scoreFoundation(`${root}/image`, { clips: 2, networks: d.networks, poseModel: d.poseModel, write: false, git });
  assert.deepEqual(image.pose_frames, [0]);
  assert.equal(image.reconstructions.fvd_syn, null);
  d.dispose();
  await Deno.remove(root, { recursive: true });
});

Deno.test("sampling refuses what is not a finished foundation, counts out of range and a CFG that drops more than the caption; scoring refuses a DiT run folder and a migrated folder", async () => {
  const root = await Deno.makeTempDir();
  await tinyFoundation(`${root}/vae`, 0);
  // A pretraining run's config at the same size, recorded in folders with or without its parts.
  const pretrain = as(resolveRuns("smoke", smoke)[0].config, "pretrain");
  Object.assign(pretrain.data, { frames: 9, height: 16, width: 16, trainClips: 4, valClips: 2, evalClips: 1 });
  const folder = async (name: string, config: RunConfig, parts: string[] = []) => {
    await Deno.mkdir(`${root}/${name}`);
    await writeJson(`${root}/${name}/config.json`, { config });
    for (const p of parts) {
      await Deno.mkdir(`${root}/${name}/${p}`);
      await Deno.writeTextFile(`${root}/${name}/${p}/config.json`, "{}");
    }
  };
  await folder("unfinished", pretrain);
  await folder("animate", { ...pretrain, task: "animate" } as unknown as RunConfig);
  await folder("ready", pretrain, ["dit", "vae"]);
  const sampling = (dir: string, o: Partial<Parameters<typeof sampleFoundation>[1]> = {}) =>
    sampleFoundation(`${root}/${dir}`, { sampler: CFG2, seed: 0, clips: 3, strips: 0, out: `${root}/out`, git, ...o });
  const rejects = (p: Promise<unknown>, message: RegExp) => assert.rejects(() => p, (e: Error) => e instanceof RangeError && message.test(e.message), String(message));
  await rejects(sampling("unfinished"), /no dit\/config\.json \(the run has not finished\)/);
  await rejects(sampling("animate"), /its task is "animate", expected "pretrain"/);
  await rejects(sampling("none"), /has no config\.json/);
  await rejects(sampling("vae"), /VAE-only run \(task "vae"\), with no DiT to sample/);
  for (const clips of [1, 101, 2.5]) await rejects(sampling("ready", { clips }), /expected an integer in 2\.\.100/);
  await rejects(sampling("ready", { strips: 4 }), /4 strips of 3 clips: expected an integer in 0\.\.3/);
  await rejects(sampling("ready", { sampler: { ...CFG2, guidance: { kind: "cfg", scale: 2, drop: ["reference"] } } }), /dropping \["reference"\]: its only condition is \["context"\]/);
  await rejects(sampling("ready", { sampler: { ...CFG2, init: { strength: 0.4 } } }), /strength 0.4 and 2 steps: it takes .* = 0 steps/);
  await rejects(scoreFoundation(`${root}/ready`), /is a foundation with a DiT, not a sample folder \(sampler\.json\)/);
  await Deno.mkdir(`${root}/migrated`);
  await writeJson(`${root}/migrated/sampler.json`, CFG2);
  await writeJson(`${root}/migrated/sample_set.json`, { foundation: `${root}/ready`, clips: 3, seed: 0, strips: 0, migrated_from: "foundation_score.json" });
  await rejects(scoreFoundation(`${root}/migrated`), /migrated from foundation_score\.json, scored before samples were saved/);
  await Deno.remove(root, { recursive: true });
});

Deno.test("the sample task draws a foundation's samples into <run>/samples and scores them; a re-run scores the saved samples without drawing again", async () => {
  const root = await Deno.makeTempDir();
  await tinyFoundation(`${root}/foundation`, 1);
  const [run] = resolveRuns("t", {
    question: "sample",
    recipe: "defaults",
    overrides: { task: "sample", sampling: { foundation: `${root}/foundation`, sampler: CFG2, clips: 2, strips: 1 } },
    axes: {},
  });
  const out = await runPipeline(run, runContext(`${root}/run`, "s"));
  assert.equal(out.interrupted, false);
  const score = JSON.parse(await Deno.readTextFile(`${root}/run/samples/${FOUNDATION_SCORE_FILE}`));
  assert.equal(out.metrics.keypoints_found, score.samples.keypoints_found);
  assert.equal(out.metrics.reconstructions_keypoints_found, score.reconstructions.keypoints_found);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${root}/run/samples/sampler.json`)), as(run.config, "sample").sampling.sampler);
  const drawnAt = JSON.parse(await Deno.readTextFile(`${root}/run/samples/sample_set.json`)).sampled_at;
  const again = await runPipeline(run, runContext(`${root}/run`, "s"));
  assert.equal(JSON.parse(await Deno.readTextFile(`${root}/run/samples/sample_set.json`)).sampled_at, drawnAt, "not drawn again");
  assert.equal(again.metrics.keypoints_found, out.metrics.keypoints_found);
  assert.throws(
    () => resolveRuns("t", { question: "no foundation", recipe: "defaults", overrides: { task: "sample" }, axes: {} }),
    /task "sample" draws a foundation's samples: sampling.foundation must name a finished pretrain run folder/,
  );
  assert.throws(
    () => resolveRuns("t", { question: "bad", recipe: "defaults", overrides: { task: "sample", sampling: { foundation: "x", sampler: { ...CFG2, steps: 0 } } }, axes: {} }),
    /In experiment "t" run 0, sampling.sampler: Cannot sample as steps must be an integer >= 1: received 0/,
  );
  await Deno.remove(root, { recursive: true });
});

Deno.test("evenFrames() spreads the pose frames over the clip and refuses counts outside 1..frames", () => {
  assert.deepEqual(evenFrames(9, 3), [0, 4, 8]);
  assert.deepEqual(evenFrames(5, 2), [0, 4]);
  assert.deepEqual(evenFrames(9, 1), [4]);
  assert.deepEqual(evenFrames(1, 1), [0]);
  assert.throws(() => evenFrames(5, 6), RangeError);
  assert.throws(() => evenFrames(5, 0), RangeError);
});

Deno.test("foundation:score's command line takes folders and integer options, and says where the sampler flags went", () => {
  const a = parseScoreFoundationArgs(["results/foundation_sampling/0/", "results/pretrain_vae_video/0", "--clips", "16", "--pose-frames", "1", "--threads", "2"]);
  assert.deepEqual(a.dirs, ["results/foundation_sampling/0", "results/pretrain_vae_video/0"]);
  assert.deepEqual(a.options, { clips: 16, poseFrames: 1 });
  assert.equal(a.threads, 2);
  for (const flag of ["--guidance", "--guide-model", "--strength", "--guidance-interval", "--strips", "--seed"]) {
    assert.throws(() => parseScoreFoundationArgs(["x", flag, "2"]), (e: Error) => e instanceof TypeError && /is a sampler setting: samples are drawn by a "sample" task/.test(e.message), flag);
  }
  assert.throws(() => parseScoreFoundationArgs(["x", "--clip", "3"]), (e: Error) => e instanceof TypeError && /Unknown option --clip/.test(e.message));
  assert.throws(() => parseScoreFoundationArgs(["x", "--clips"]), (e: Error) => e instanceof TypeError && /--clips needs a value/.test(e.message));
  assert.throws(() => parseScoreFoundationArgs(["x", "--clips", "a"]), (e: Error) => e instanceof RangeError && /--clips must be an integer/.test(e.message));
  assert.equal(parseScoreFoundationArgs(["--help"]).help, true);
});
