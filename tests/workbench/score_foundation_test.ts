/**
 * The foundation score: a finished pretraining run folder's text-to-video
 * samples, its VAE's reconstructions and the ground truth of the same
 * evaluation clips, scored by a real person detector (MoveNet) and the -syn
 * networks; seeded, written to the run folder, refused for folders that are
 * not foundations.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { loadGraphModel } from "@tensorflow/tfjs-converter";
import { initEngine } from "../../lib/engine/mod.ts";
import { loadSynNetworks } from "../../lib/eval/syn/load_syn_networks.ts";
import { detectMovenet, ensureHumanModels } from "../../lib/pose/mod.ts";
import { resolveRuns, writeJson } from "../../lib/workbench/mod.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import { FOUNDATION_SCORE_FILE, foundationScoreFile, scoreFoundation } from "../../lib/workbench/score_foundation.ts";
import { parseScoreFoundationArgs } from "../../lib/workbench/score_foundation_cli.ts";
import { makeClips } from "../../lib/workbench/_clips.ts";
import { evenFrames } from "../../lib/workbench/_even_frames.ts";
import smoke from "../../experiments/smoke.ts";
import { runContext } from "./_fixtures.ts";

await initEngine({});

/** A finished tiny foundation (9×16×16, or `frames`): its run folder with config.json, vae/ and dit/; DiT steps 0 makes it VAE-only. */
async function tinyFoundation(dir: string, ditSteps: number, frames = 9) {
  const [run] = resolveRuns("smoke", smoke);
  Object.assign(run.config.vae, { preset: "vae-smoke", steps: 2 });
  Object.assign(run.config.data, { frames, height: 16, width: 16, trainClips: 4, valClips: 2, evalClips: 1 });
  Object.assign(run.config.train, { steps: ditSteps, valEvery: 0, microBatch: 2 });
  Object.assign(run.config.sample, { steps: 2, guidance: 2 });
  const out = await runPipeline(run, runContext(dir, "f"));
  assert.equal(out.interrupted, false);
  await writeJson(`${dir}/config.json`, { config: run.config });
  return run.config;
}

Deno.test("scoreFoundation() scores the samples, the VAE's reconstructions and the ground truth with MoveNet and the -syn networks, writes them, repeats with the same seed, and writes another guidance scale to its own file", async () => {
  const root = await Deno.makeTempDir();
  const dir = `${root}/foundation`;
  const cfg = await tinyFoundation(dir, 1);
  const networks = await loadSynNetworks();
  const poseModel = await loadGraphModel(new URL(`file://${await ensureHumanModels()}movenet-lightning.json`).href);
  const before = tf.memory().numTensors;
  const score = await scoreFoundation(dir, { clips: 3, poseFrames: 2, networks, poseModel });
  assert.equal(tf.memory().numTensors, before, "nothing outlives the score");
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/${FOUNDATION_SCORE_FILE}`)), score);
  assert.deepEqual(score.pose_frames, [0, 8]);
  assert.equal(score.seed, cfg.seed, "the run's seed by default");
  assert.deepEqual(score.sample, { solver: "euler", steps: 2, guidance: 2, shift: cfg.diffusion.shift, strength: 1, guide: null, interval: null });
  assert.deepEqual(score.overrides, {}, "the run's own sampler settings");
  for (const group of [score.samples!, score.reconstructions]) {
    for (const [k, v] of Object.entries(group)) {
      for (const x of [v].flat()) assert.ok(Number.isFinite(x), `${k} holds ${x}`);
    }
  }

  // The ground truth's keypoints, by hand: MoveNet's 17 scores on frames 0 and 8 of the first 3 evaluation clips.
  const clips = makeClips({ set: "pretrain", split: "eval", count: 3, frames: 9, height: 16, width: 16 });
  const scores: number[] = [];
  for (const c of clips) {
    for (const f of [0, 8]) {
      const image = tf.tensor3d(c.video.subarray(f * 16 * 16 * 3, (f + 1) * 16 * 16 * 3), [16, 16, 3]);
      scores.push(...(await detectMovenet(poseModel, image)).scores);
      image.dispose();
    }
  }
  assert.equal(scores.length, 3 * 2 * 17);
  assert.equal(score.ground_truth.keypoints_found, scores.filter((s) => s >= 0.3).length / scores.length);
  assert.ok(Math.abs(score.ground_truth.keypoint_score - scores.reduce((a, b) => a + b, 0) / scores.length) < 1e-12);
  // Per clip (2 frames × 17 keypoints each) and the standard error over the 3 clips.
  const perClip = [0, 1, 2].map((c) => scores.slice(c * 34, (c + 1) * 34).filter((s) => s >= 0.3).length / 34);
  assert.deepEqual(score.ground_truth.keypoints_found_per_clip, perClip);
  const mean = perClip.reduce((a, b) => a + b) / 3;
  const se = Math.sqrt(perClip.reduce((a, x) => a + (x - mean) ** 2, 0) / 2 / 3);
  assert.ok(Math.abs(score.ground_truth.keypoints_found_se - se) < 1e-12);
  assert.equal(score.samples!.keypoints_found_per_clip.length, 3);

  // Same seed, same scores; another seed moves only the samples.
  const again = await scoreFoundation(dir, { clips: 3, poseFrames: 2, networks, poseModel, write: false, git: { commit: "abc", dirty: false } });
  assert.equal(again.git_commit, "abc", "the commit given is recorded");
  assert.deepEqual(again.samples, score.samples);
  const other = await scoreFoundation(dir, { clips: 3, poseFrames: 2, seed: cfg.seed + 1, networks, poseModel, write: false });
  assert.notEqual(other.samples!.fid_syn, score.samples!.fid_syn);
  assert.deepEqual(other.reconstructions, score.reconstructions);
  assert.deepEqual(other.ground_truth, score.ground_truth);

  // Another guidance scale: its own file beside the run's score, which stays as it was; only the samples move.
  const guided = await scoreFoundation(dir, { clips: 3, poseFrames: 2, guidance: 4, networks, poseModel });
  assert.deepEqual(guided.overrides, { guidance: 4 });
  assert.equal(guided.sample!.guidance, 4);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/foundation_score_guidance=4.json`)), guided);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/${FOUNDATION_SCORE_FILE}`)), score);
  assert.notEqual(guided.samples!.fid_syn, score.samples!.fid_syn);
  assert.deepEqual(guided.reconstructions, score.reconstructions);
  // The run's own scale named explicitly is no override.
  const same = await scoreFoundation(dir, { clips: 3, poseFrames: 2, guidance: 2, networks, poseModel, write: false });
  assert.deepEqual(same.overrides, {});
  assert.deepEqual(same.samples, score.samples);

  // From the clips' own latents at strength 0.5 (the second of the 2 steps): its own file, other samples
  // (sample()'s tests check the start itself; this 2-step VAE decodes any latents to nearly the same frames).
  const edited = await scoreFoundation(dir, { clips: 3, poseFrames: 2, strength: 0.5, networks, poseModel });
  assert.deepEqual(edited.overrides, { strength: 0.5 });
  assert.equal(edited.sample!.strength, 0.5);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/foundation_score_strength=0.5.json`)), edited);
  assert.notEqual(edited.samples!.fid_syn, score.samples!.fid_syn);
  assert.notEqual(edited.samples!.psnr, score.samples!.psnr);
  assert.deepEqual(edited.reconstructions, score.reconstructions);
  const whole = await scoreFoundation(dir, { clips: 3, poseFrames: 2, strength: 1, networks, poseModel, write: false });
  assert.deepEqual(whole.overrides, {}, "strength 1 is plain sampling");
  assert.deepEqual(whole.samples, score.samples);

  // A failure midway (here the sampler, after the clips are encoded) frees what was made so far.
  const record = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
  record.config.sample.solver = "no-such-solver";
  await writeJson(`${dir}/config.json`, record);
  const beforeFailure = tf.memory().numTensors;
  await assert.rejects(
    () => scoreFoundation(dir, { clips: 3, poseFrames: 2, networks, poseModel, write: false }),
    (e: Error) => e instanceof RangeError && /solver must be "euler", "unipc"/.test(e.message),
  );
  assert.equal(tf.memory().numTensors, beforeFailure, "nothing outlives a failed score");
  networks.dispose();
  poseModel.dispose();
  await Deno.remove(root, { recursive: true });
});

Deno.test("scoreFoundation() scores a VAE-only run on its reconstructions and the ground truth, with no samples, an image stage on its one frame", async () => {
  const root = await Deno.makeTempDir();
  const networks = await loadSynNetworks();
  const poseModel = await loadGraphModel(new URL(`file://${await ensureHumanModels()}movenet-lightning.json`).href);
  await tinyFoundation(`${root}/vae`, 0);
  const before = tf.memory().numTensors;
  const score = await scoreFoundation(`${root}/vae`, { clips: 3, poseFrames: 2, networks, poseModel });
  assert.equal(tf.memory().numTensors, before, "nothing outlives the score");
  assert.equal(score.samples, null);
  assert.equal(score.sample, null);
  assert.deepEqual(score.overrides, {});
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${root}/vae/${FOUNDATION_SCORE_FILE}`)), score);
  assert.equal(score.reconstructions.keypoints_found_per_clip.length, 3);
  for (const [k, v] of Object.entries(score.reconstructions)) {
    for (const x of [v].flat()) assert.ok(Number.isFinite(x), `${k} holds ${x}`);
  }
  // Nothing is sampled, so the seed changes nothing.
  const other = await scoreFoundation(`${root}/vae`, { clips: 3, poseFrames: 2, seed: 7, networks, poseModel, write: false });
  assert.deepEqual(other.reconstructions, score.reconstructions);
  assert.deepEqual(other.ground_truth, score.ground_truth);
  await assert.rejects(
    () => scoreFoundation(`${root}/vae`, { guidance: 4, networks, poseModel }),
    (e: Error) => e instanceof RangeError && /VAE-only run, with no DiT to sample/.test(e.message),
  );
  await assert.rejects(
    () => scoreFoundation(`${root}/vae`, { strength: 0.5, networks, poseModel }),
    (e: Error) => e instanceof RangeError && /guidance scale, step count, strength or guiding model: it is a VAE-only run/.test(e.message),
  );
  // An image stage (1-frame clips): MoveNet looks at frame 0 by default; FVD-syn needs clips, so it is null.
  await tinyFoundation(`${root}/image`, 0, 1);
  const image = await scoreFoundation(`${root}/image`, { clips: 2, networks, poseModel, write: false });
  assert.deepEqual(image.pose_frames, [0]);
  assert.equal(image.reconstructions.fvd_syn, null);
  assert.ok(Number.isFinite(image.reconstructions.fid_syn));
  networks.dispose();
  poseModel.dispose();
  await Deno.remove(root, { recursive: true });
});

Deno.test("scoreFoundation() refuses an unfinished run, a fine-tuning run, a folder without config.json, and clips, guidance, steps or strength out of range", async () => {
  const root = await Deno.makeTempDir();
  await tinyFoundation(`${root}/vae`, 0);
  const record = JSON.parse(await Deno.readTextFile(`${root}/vae/config.json`));
  // A run meant to train a DiT (train.steps > 0) that has not saved it yet.
  const unfinished = structuredClone(record);
  unfinished.config.train.steps = 5;
  await Deno.mkdir(`${root}/unfinished`);
  await writeJson(`${root}/unfinished/config.json`, unfinished);
  await assert.rejects(() => scoreFoundation(`${root}/unfinished`), (e: Error) => e instanceof RangeError && /no dit\/config\.json \(the run has not finished\)/.test(e.message));
  // A VAE-only run that has not saved its VAE yet.
  await Deno.mkdir(`${root}/vae-unfinished`);
  await writeJson(`${root}/vae-unfinished/config.json`, record);
  await assert.rejects(() => scoreFoundation(`${root}/vae-unfinished`), (e: Error) => e instanceof RangeError && /no vae\/config\.json/.test(e.message));
  await assert.rejects(() => scoreFoundation(`${root}/none`), (e: Error) => e instanceof RangeError && /has no config\.json/.test(e.message));
  const animate = structuredClone(record);
  animate.config.task = "animate";
  await Deno.mkdir(`${root}/animate`);
  await writeJson(`${root}/animate/config.json`, animate);
  await assert.rejects(() => scoreFoundation(`${root}/animate`), (e: Error) => e instanceof RangeError && /its task is "animate", expected "pretrain"/.test(e.message));
  // The range checks come before any loading: a folder with the three config files is enough.
  await Deno.mkdir(`${root}/unfinished/dit`);
  await Deno.mkdir(`${root}/unfinished/vae`);
  await Deno.writeTextFile(`${root}/unfinished/dit/config.json`, "{}");
  await Deno.writeTextFile(`${root}/unfinished/vae/config.json`, "{}");
  for (const clips of [1, 101, 2.5]) {
    await assert.rejects(() => scoreFoundation(`${root}/unfinished`, { clips }), (e: Error) => e instanceof RangeError && /expected an integer in 2\.\.100/.test(e.message));
  }
  for (const guidance of [0.5, NaN]) {
    await assert.rejects(() => scoreFoundation(`${root}/unfinished`, { guidance }), (e: Error) => e instanceof RangeError && /expected a finite scale >= 1/.test(e.message));
  }
  await assert.rejects(() => scoreFoundation(`${root}/unfinished`, { steps: 0 }), (e: Error) => e instanceof RangeError && /0 solver steps: expected an integer >= 1/.test(e.message));
  // strength·steps must leave a step: the tiny run samples with 2.
  for (const strength of [0, 1.5, 0.4]) {
    await assert.rejects(
      () => scoreFoundation(`${root}/unfinished`, { strength, steps: 2 }),
      (e: Error) => e instanceof RangeError && new RegExp(`strength ${strength}: expected a number in \\(0, 1\\] that leaves at least one of the 2 steps`).test(e.message),
    );
  }
  await Deno.remove(root, { recursive: true });
});

Deno.test("scoreFoundation() guided by a weaker DiT on the same VAE (autoguidance) moves only the samples, writes its own file, and reproduces classifier-free guidance when the guide is the run itself on the empty caption", async () => {
  const root = await Deno.makeTempDir();
  const dir = `${root}/foundation`, weak = `${root}/weak`;
  await tinyFoundation(dir, 2);
  await tinyFoundation(weak, 1); // the same seed and VAE phase: the same VAE bytes, a DiT trained one step
  const networks = await loadSynNetworks();
  const poseModel = await loadGraphModel(new URL(`file://${await ensureHumanModels()}movenet-lightning.json`).href);
  const opts = { clips: 3, poseFrames: 2, networks, poseModel };
  const plain = await scoreFoundation(dir, { ...opts, write: false });
  const before = tf.memory().numTensors;
  const auto = await scoreFoundation(dir, { ...opts, guideModel: `${weak}/`, strips: 2 });
  assert.equal(tf.memory().numTensors, before, "nothing outlives the score, the guide's weights included");
  assert.deepEqual(auto.overrides, { guide: weak });
  assert.deepEqual(auto.sample!.guide, { run: weak, caption: "same", cfg: null });
  assert.equal(auto.sample!.guidance, 2, "the run's scale, now applied against the guide");
  const file = foundationScoreFile(auto.overrides);
  assert.match(file, /^foundation_score_guide=.*weak\.json$/);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/${file}`)), auto);
  // Two strips of ground truth, reconstruction and sample: 9 frames of 16 px with 1 px gaps, 3 rows.
  assert.equal(auto.strips_dir, `samples/${file.replace(/\.json$/, "")}`);
  const strips = [...Deno.readDirSync(`${dir}/${auto.strips_dir}`)].map((e) => e.name).sort();
  assert.deepEqual(strips, ["eval-000.png", "eval-001.png"]);
  const png = new DataView((await Deno.readFile(`${dir}/${auto.strips_dir}/eval-001.png`)).buffer);
  assert.deepEqual([png.getUint32(16), png.getUint32(20)], [9 * 16 + 8, 3 * 16 + 2]);
  assert.equal(plain.strips_dir, null);
  await assert.rejects(() => scoreFoundation(dir, { ...opts, strips: 4 }), (e: Error) => e instanceof RangeError && /4 strips of 3 clips: expected an integer in 0\.\.3/.test(e.message));
  await assert.rejects(() => scoreFoundation(dir, { ...opts, strips: 1, write: false }), (e: Error) => e instanceof RangeError && /write false/.test(e.message));
  assert.notEqual(auto.samples!.fid_syn, plain.samples!.fid_syn);
  assert.deepEqual(auto.reconstructions, plain.reconstructions);
  assert.deepEqual(auto.ground_truth, plain.ground_truth);
  // The guide on its empty caption: other samples again.
  const empty = await scoreFoundation(dir, { ...opts, guideModel: weak, guideCaption: "empty", write: false });
  assert.deepEqual(empty.overrides, { guide: weak, guide_caption: "empty" });
  assert.notEqual(empty.samples!.fid_syn, auto.samples!.fid_syn);
  // The run's own classifier-free term on top: scale 1 is none (the same samples, no override); 3 moves them.
  const cfgOne = await scoreFoundation(dir, { ...opts, guideModel: weak, guideCfg: 1, write: false });
  assert.deepEqual(cfgOne.overrides, { guide: weak });
  assert.deepEqual(cfgOne.samples, auto.samples);
  const withCfg = await scoreFoundation(dir, { ...opts, guideModel: weak, guideCfg: 3 });
  assert.deepEqual(withCfg.overrides, { guide: weak, guide_cfg: 3 });
  assert.deepEqual(withCfg.sample!.guide, { run: weak, caption: "same", cfg: 3 });
  assert.match(foundationScoreFile(withCfg.overrides), /_guide=.*weak_guide_cfg=3\.json$/);
  assert.notEqual(withCfg.samples!.fid_syn, auto.samples!.fid_syn);
  for (const guideCfg of [0.5, NaN]) {
    await assert.rejects(() => scoreFoundation(dir, { ...opts, guideModel: weak, guideCfg }), (e: Error) => e instanceof RangeError && /guideCfg .*expected a finite scale >= 1 together with guideModel/.test(e.message));
  }
  await assert.rejects(() => scoreFoundation(dir, { ...opts, guideCfg: 2 }), (e: Error) => e instanceof RangeError && /together with guideModel/.test(e.message));
  // A guidance interval: one holding every step's σ changes nothing, one holding none is no guidance at all.
  const everyStep = await scoreFoundation(dir, { ...opts, guideModel: weak, guidanceInterval: { min: 0, max: 1 } });
  assert.deepEqual(everyStep.overrides, { guide: weak, interval: { min: 0, max: 1 } });
  assert.deepEqual(everyStep.sample!.interval, { min: 0, max: 1 });
  assert.match(foundationScoreFile(everyStep.overrides), /_guide=.*weak_interval=0-1\.json$/);
  assert.deepEqual(everyStep.samples, auto.samples);
  const noStep = await scoreFoundation(dir, { ...opts, guideModel: weak, guidanceInterval: { min: 2, max: 3 }, write: false });
  const unguided = await scoreFoundation(dir, { ...opts, guidance: 1, write: false });
  assert.deepEqual(noStep.samples, unguided.samples);
  await assert.rejects(
    () => scoreFoundation(dir, { ...opts, guidanceInterval: { min: 0.8, max: 0.2 } }),
    (e: Error) => e instanceof RangeError && /guidance interval \[0\.8, 0\.2\]: expected finite 0 <= min <= max/.test(e.message),
  );
  // The run as its own guide on the empty caption is classifier-free guidance: v(∅) + w·(v(c) − v(∅)).
  const self = await scoreFoundation(dir, { ...opts, guideModel: dir, guideCaption: "empty", write: false });
  assert.ok(Math.abs(self.samples!.psnr - plain.samples!.psnr) < 1e-9, `${self.samples!.psnr} vs ${plain.samples!.psnr}`);
  assert.ok(Math.abs(self.samples!.fid_syn - plain.samples!.fid_syn) < 1e-6, `${self.samples!.fid_syn} vs ${plain.samples!.fid_syn}`);
  assert.deepEqual(self.samples!.keypoints_found_per_clip, plain.samples!.keypoints_found_per_clip);

  // Refused: a guide on another VAE, a VAE-only guide, a folder that is no run, a guide caption without a guide.
  await Deno.mkdir(`${root}/other`);
  for (const sub of ["dit", "vae"]) {
    await Deno.mkdir(`${root}/other/${sub}`);
    for (const f of Deno.readDirSync(`${weak}/${sub}`)) await Deno.copyFile(`${weak}/${sub}/${f.name}`, `${root}/other/${sub}/${f.name}`);
  }
  await Deno.copyFile(`${weak}/config.json`, `${root}/other/config.json`);
  const bytes = await Deno.readFile(`${root}/other/vae/vae.safetensors`);
  bytes[bytes.length - 1] ^= 1;
  await Deno.writeFile(`${root}/other/vae/vae.safetensors`, bytes);
  await assert.rejects(() => scoreFoundation(dir, { ...opts, guideModel: `${root}/other` }), (e: Error) => e instanceof RangeError && /their VAEs differ/.test(e.message));
  await tinyFoundation(`${root}/vae-only`, 0);
  await assert.rejects(() => scoreFoundation(dir, { ...opts, guideModel: `${root}/vae-only` }), (e: Error) => e instanceof RangeError && /expected a pretraining run with a DiT/.test(e.message));
  await assert.rejects(() => scoreFoundation(dir, { ...opts, guideModel: `${root}/none` }), (e: Error) => e instanceof RangeError && /Cannot guide with .*none: it has no config\.json/.test(e.message));
  await assert.rejects(() => scoreFoundation(dir, { ...opts, guideCaption: "empty" }), (e: Error) => e instanceof RangeError && /guideCaption needs guideModel/.test(e.message));
  await assert.rejects(() => scoreFoundation(`${root}/vae-only`, { ...opts, guideModel: weak }), (e: Error) => e instanceof RangeError && /VAE-only run/.test(e.message));
  networks.dispose();
  poseModel.dispose();
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

Deno.test("foundation:score's command line takes run folders, integer options and a guidance scale, and refuses unknown ones", () => {
  const a = parseScoreFoundationArgs(["results/pretrain/0/", "results/pretrain_dit/0", "--clips", "16", "--pose-frames", "1", "--seed", "3", "--threads", "2"]);
  assert.deepEqual(a.dirs, ["results/pretrain/0", "results/pretrain_dit/0"]);
  assert.deepEqual(a.options, { clips: 16, poseFrames: 1, seed: 3 });
  assert.equal(a.threads, 2);
  assert.deepEqual(parseScoreFoundationArgs(["x", "--guidance", "4.5", "--steps", "40"]).options, { guidance: 4.5, steps: 40 });
  assert.deepEqual(parseScoreFoundationArgs(["x", "--strength", "0.6"]).options, { strength: 0.6 });
  assert.deepEqual(
    parseScoreFoundationArgs(["x", "--guide-model", "results/weak/0/", "--guide-caption", "empty", "--guidance", "2"]).options,
    { guideModel: "results/weak/0", guideCaption: "empty", guidance: 2 },
  );
  assert.deepEqual(parseScoreFoundationArgs(["x", "--strips", "8"]).options, { strips: 8 });
  assert.deepEqual(parseScoreFoundationArgs(["x", "--guide-model", "g", "--guide-cfg", "2.5"]).options, { guideModel: "g", guideCfg: 2.5 });
  assert.deepEqual(parseScoreFoundationArgs(["x", "--guidance-interval", "0.3,0.85"]).options, { guidanceInterval: { min: 0.3, max: 0.85 } });
  assert.throws(() => parseScoreFoundationArgs(["x", "--guidance-interval", "0.3"]), (e: Error) => e instanceof RangeError && /--guidance-interval must be MIN,MAX/.test(e.message));
  assert.throws(() => parseScoreFoundationArgs(["x", "--guidance-interval", "a,1"]), RangeError);
  assert.throws(() => parseScoreFoundationArgs(["x", "--guide-caption", "none"]), (e: Error) => e instanceof RangeError && /--guide-caption must be "same" or "empty"/.test(e.message));
  assert.throws(() => parseScoreFoundationArgs(["x", "--guide-model"]), (e: Error) => e instanceof TypeError && /--guide-model needs a value/.test(e.message));
  assert.throws(() => parseScoreFoundationArgs(["x", "--strength", "most"]), (e: Error) => e instanceof RangeError && /--strength must be a finite number/.test(e.message));
  assert.throws(() => parseScoreFoundationArgs(["x", "--guidance", "high"]), (e: Error) => e instanceof RangeError && /--guidance must be a finite number/.test(e.message));
  assert.throws(() => parseScoreFoundationArgs(["x", "--guidance", ""]), RangeError);
  assert.throws(() => parseScoreFoundationArgs(["x", "--clip", "3"]), (e: Error) => e instanceof TypeError && /Unknown option --clip/.test(e.message));
  assert.throws(() => parseScoreFoundationArgs(["x", "--clips"]), (e: Error) => e instanceof TypeError && /--clips needs a value/.test(e.message));
  assert.throws(() => parseScoreFoundationArgs(["x", "--clips", "-1"]), RangeError);
  assert.throws(() => parseScoreFoundationArgs(["x", "--clips", "a"]), (e: Error) => e instanceof RangeError && /--clips must be an integer/.test(e.message));
});

Deno.test("foundationScoreFile() keeps the run's own score in foundation_score.json and names overridden sampler settings", () => {
  assert.equal(foundationScoreFile({}), "foundation_score.json");
  assert.equal(foundationScoreFile({ guidance: 5 }), "foundation_score_guidance=5.json");
  assert.equal(foundationScoreFile({ steps: 40 }), "foundation_score_steps=40.json");
  assert.equal(foundationScoreFile({ steps: 40, guidance: 1.5 }), "foundation_score_guidance=1.5_steps=40.json");
  assert.equal(foundationScoreFile({ strength: 0.6 }), "foundation_score_strength=0.6.json");
  assert.equal(foundationScoreFile({ strength: 0.6, steps: 10 }), "foundation_score_steps=10_strength=0.6.json");
  assert.equal(
    foundationScoreFile({ guidance: 2, guide: "results/pretrain_dit_vae_video_guide/0" }),
    "foundation_score_guidance=2_guide=pretrain_dit_vae_video_guide-0.json",
  );
  assert.equal(foundationScoreFile({ guide: "./results/a/0/", guide_caption: "empty" }), "foundation_score_guide=a-0_guide_caption=empty.json");
  assert.equal(foundationScoreFile({ guidance: 2, interval: { min: 0.3, max: 0.85 } }), "foundation_score_guidance=2_interval=0.3-0.85.json");
  assert.equal(foundationScoreFile({ guide: "results/g/0", guide_cfg: 2 }), "foundation_score_guide=g-0_guide_cfg=2.json");
});
