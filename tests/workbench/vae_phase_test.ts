/**
 * The VAE side of a pretraining run: the reconstruction strips it writes, the
 * DiT's latent channels taken from the VAE, a trained VAE copied into a run
 * that uses it, and the character masks on its latent grid.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { decodePng } from "../../lib/io/png.ts";
import { Prng } from "../../lib/random/mod.ts";
import { initVaeParams, reconstructionPsnr, VAE_PRESETS, vaeDecode, vaeEncode } from "../../lib/vae/mod.ts";
import { type ResolvedRun, resolveRuns } from "../../lib/workbench/mod.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import { vaeReconScores, writeVaeReconStrips } from "../../lib/workbench/_vae_phase.ts";
import smoke from "../../experiments/smoke.ts";
import { as, runContext } from "./_fixtures.ts";

await initEngine({});

/** The smoke experiment's run at the tiniest size (5×16×16, 4 training clips) with these VAE and DiT-training settings. */
function tinyRun(vae: Record<string, unknown>, train: Record<string, unknown>): ResolvedRun {
  const [run] = resolveRuns("smoke", smoke);
  const c = as(run.config, "pretrain");
  Object.assign(c.vae, vae);
  Object.assign(c.data, { frames: 5, height: 16, width: 16, trainClips: 4, valClips: 2, evalClips: 1 });
  Object.assign(c.train, { valEvery: 0, microBatch: 2, ...train });
  return run;
}

/** The same at the tiniest size as a VAE-only run (task "vae"). */
function tinyVaeRun(vae: Record<string, unknown>): ResolvedRun {
  const c = as(tinyRun(vae, {}).config, "pretrain");
  const [run] = resolveRuns("smoke", smoke);
  return { ...run, config: { task: "vae", seed: c.seed, engine: c.engine, data: c.data, vae: c.vae } };
}

Deno.test("writeVaeReconStrips() writes one strip per clip: the clip above, its clamped reconstruction below", async () => {
  const dir = await Deno.makeTempDir();
  const config = VAE_PRESETS["vae-smoke"];
  const vae = { config, params: initVaeParams(config, { prng: new Prng(3) }) };
  const [n, f, h, w] = [3, 5, 8, 8];
  const video = tf.randomUniform([n, 3, f, h, w], -1, 1, "float32", 7); // (N, 3, F, H, W)
  const paths = await writeVaeReconStrips(vae, video, { dir, count: 2 });
  assert.deepEqual(paths, [`${dir}/vae-recon-000.png`, `${dir}/vae-recon-001.png`]);
  const clip = tf.slice(video, [1, 0, 0, 0, 0], [1, -1, -1, -1, -1]); // (1, 3, F, H, W)
  const rec = tf.tidy(() => vaeDecode(vae, vaeEncode(vae, clip).mean, { clamp: true }));
  const truth = await clip.data(), recon = await rec.data();
  const img = await decodePng(await Deno.readFile(paths[1]));
  // f frames side by side with 1-pixel gaps, two rows with a 1-pixel gap.
  assert.equal(img.width, f * w + f - 1);
  assert.equal(img.height, 2 * h + 1);
  const byte = (v: number) => Math.round(Math.min(1, Math.max(0, (v + 1) / 2)) * 255);
  for (const [t, y, x, c] of [[0, 0, 0, 0], [2, 3, 5, 1], [4, 7, 7, 2]]) {
    const src = ((c * f + t) * h + y) * w + x; // (3, F, H, W) of clip 1
    assert.equal(img.data[((y * img.width) + t * (w + 1) + x) * 3 + c], byte(truth[src]));
    assert.equal(img.data[(((h + 1 + y) * img.width) + t * (w + 1) + x) * 3 + c], byte(recon[src]));
  }
  // Only `count` strips, even with more clips.
  assert.equal([...Deno.readDirSync(dir)].length, 2);
  tf.dispose([video, clip, rec, ...Object.values(vae.params)]);
});

Deno.test("vaeReconScores() pools the masked pixels' squared errors, and its whole-frame PSNR is reconstructionPsnr() averaged over chunks of 4", async () => {
  const config = VAE_PRESETS["vae-smoke"];
  const vae = { config, params: initVaeParams(config, { prng: new Prng(4) }) };
  const [n, f, h, w] = [5, 5, 8, 8];
  const video = tf.randomUniform([n, 3, f, h, w], -1, 1, "float32", 11); // (N, 3, F, H, W): two chunks of ≤ 4
  const rec = tf.tidy(() => vaeDecode(vae, vaeEncode(vae, video).mean, { clamp: true }));
  const x = await video.data(), y = await rec.data();
  // Mask: clip 0's top-left pixel in every frame, and all of clip 4 (the second chunk).
  const m = new Float32Array(n * f * h * w);
  for (let t = 0; t < f; t++) m[t * h * w] = 1;
  m.fill(1, 4 * f * h * w);
  const mask = tf.tensor5d(m, [n, 1, f, h, w]);
  let se = 0, count = 0;
  for (let b = 0; b < n; b++) {
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < f * h * w; p++) {
        if (!m[b * f * h * w + p]) continue;
        const i = (b * 3 + c) * f * h * w + p;
        se += ((y[i] - x[i]) / 2) ** 2;
        count++;
      }
    }
  }
  assert.equal(count, 3 * (5 + 320));
  const got = await vaeReconScores(vae, video, mask);
  assert.ok(Math.abs(got.characterPsnr! - 10 * Math.log10(count / se)) < 1e-4, `${got.characterPsnr} vs ${10 * Math.log10(count / se)}`);
  // Whole-frame: clips 0–3, then clip 4, each chunk's per-clip mean, then the mean of the two.
  const first = tf.slice(video, [0, 0, 0, 0, 0], [4, -1, -1, -1, -1]);
  const lastOne = tf.slice(video, [4, 0, 0, 0, 0], [1, -1, -1, -1, -1]);
  const expected = ((await reconstructionPsnr(vae, first)) + (await reconstructionPsnr(vae, lastOne))) / 2;
  assert.ok(Math.abs(got.psnr - expected) < 1e-9, `${got.psnr} vs ${expected}`);
  tf.dispose([first, lastOne]);
  // All of clip 4 only: the whole-clip PSNR of that clip.
  const last = tf.slice(video, [4, 0, 0, 0, 0], [1, -1, -1, -1, -1]);
  const only = tf.concat([tf.zeros([4, 1, f, h, w]), tf.ones([1, 1, f, h, w])]);
  assert.ok(Math.abs((await vaeReconScores(vae, video, only)).characterPsnr! - (await reconstructionPsnr(vae, last))) < 1e-4);
  assert.equal((await vaeReconScores(vae, video, tf.zeros([n, 1, f, h, w]))).characterPsnr, null);
  await assert.rejects(() => vaeReconScores(vae, video, tf.zeros([n, 3, f, h, w])), RangeError);
  tf.dispose([video, rec, mask, last, only, ...Object.values(vae.params)]);
});

Deno.test("pretrain (mask-weighted VAE) gives a new DiT the VAE's latent channels, writes the VAE strips, refuses a DiT with other channels; a run on that VAE with train.maskWeight copies it and records the character's validation loss", async () => {
  const root = await Deno.makeTempDir();
  const [run] = resolveRuns("smoke", smoke);
  const c = as(run.config, "pretrain");
  // A 16-channel VAE under wan-smoke (a 4-channel preset).
  Object.assign(c.vae, { preset: "vae-toy-z16", steps: 1, maskWeight: 10 });
  Object.assign(c.data, { frames: 5, height: 16, width: 16, trainClips: 4, valClips: 2, evalClips: 1 });
  Object.assign(c.train, { steps: 1, valEvery: 0, microBatch: 2 });
  Object.assign(c.sample, { steps: 2 });
  const before = tf.memory().numTensors;
  const out = await runPipeline(run, runContext(`${root}/z16`, "z16"));
  assert.equal(out.interrupted, false);
  assert.equal(tf.memory().numTensors, before, "nothing outlives the run (the evaluation captions' tokens used to)");
  assert.ok(Number.isFinite(out.metrics.vae_recon_psnr_character), "the character PSNR is recorded");
  // How much the DiT uses its captions: the validation loss again with empty captions (a different input, so a different loss).
  const [withCaption, empty] = [out.metrics.final_val_loss, out.metrics.final_val_loss_empty_caption] as number[];
  assert.ok(Number.isFinite(empty) && empty !== withCaption, `${empty} vs ${withCaption}`);
  assert.equal(out.metrics.captions_truncated, 4, "wan-smoke's text_len of 8 cuts all 4 training captions");
  const dit = JSON.parse(await Deno.readTextFile(`${root}/z16/dit/config.json`));
  assert.equal(dit.in_dim, 16);
  assert.equal(dit.out_dim, 16);
  const samples = [...Deno.readDirSync(`${root}/z16/samples`)].map((e) => e.name).filter((s) => s.startsWith("vae-recon"));
  assert.deepEqual(samples.sort(), ["vae-recon-000.png", "vae-recon-001.png"]);

  assert.ok(Number.isFinite(out.metrics.final_val_loss_character), "the character's validation loss is recorded");

  // A pretraining run on that trained VAE with the character weighted in the DiT loss: the VAE is copied into its folder.
  const [onVae] = resolveRuns("smoke", smoke);
  const o = as(onVae.config, "pretrain");
  Object.assign(o.vae, { checkpoint: `${root}/z16/vae`, steps: 0 });
  Object.assign(o.data, c.data);
  Object.assign(o.train, { ...c.train, maskWeight: 10 });
  Object.assign(o.sample, c.sample);
  const weighted = await runPipeline(onVae, runContext(`${root}/weighted`, "weighted"));
  assert.equal(weighted.interrupted, false);
  for (const f of ["vae.safetensors", "config.json"]) {
    assert.deepEqual(await Deno.readFile(`${root}/weighted/vae/${f}`), await Deno.readFile(`${root}/z16/vae/${f}`), f);
  }
  const [vl, vc] = [weighted.metrics.final_val_loss, weighted.metrics.final_val_loss_character] as number[];
  assert.ok(Number.isFinite(vc) && vc !== vl, `character ${vc} vs whole ${vl}`);
  const logged = (await Deno.readTextFile(`${root}/weighted/metrics.jsonl`)).trim().split("\n").map((l) => JSON.parse(l));
  assert.ok(logged.every((r) => Number.isFinite(r.loss)));

  // Continuing that DiT on a 4-channel VAE: stopped before any training.
  const [again] = resolveRuns("smoke", smoke);
  const g = as(again.config, "pretrain");
  Object.assign(g.vae, { steps: 1 });
  Object.assign(g.data, c.data);
  Object.assign(g.train, c.train);
  Object.assign(g.model, { checkpoint: `${root}/z16/dit` });
  await assert.rejects(
    () => runPipeline(again, runContext(`${root}/z4`, "z4")),
    (e: Error) => e instanceof RangeError && /in_dim\/out_dim are 16\/16, expected the VAE's 4 latent channels/.test(e.message),
  );
});

Deno.test("a VAE-only run (task \"vae\") trains, scores and saves the VAE and its strips, trains no DiT, and a foundation run loads that VAE unchanged", async () => {
  const root = await Deno.makeTempDir();
  // A VAE-only run has no DiT loss to weigh and must not need latent masks beyond the VAE's own.
  const run = tinyVaeRun({ preset: "vae-smoke", steps: 3, maskWeight: 10 });
  const before = tf.memory().numTensors;
  const out = await runPipeline(run, runContext(`${root}/vae`, "vae"));
  assert.equal(out.interrupted, false);
  assert.equal(tf.memory().numTensors, before, "nothing outlives the run");
  assert.equal(out.metrics.vae_steps, 3);
  assert.equal(out.metrics.vae_params, 42191, "vae-smoke's parameter count");
  assert.ok((out.metrics.vae_train_s as number) > 0);
  assert.ok(Number.isFinite(out.metrics.vae_recon_psnr) && Number.isFinite(out.metrics.vae_recon_psnr_character));
  for (const key of ["final_val_loss", "steps", "dit_params", "psnr"]) assert.equal(key in out.metrics, false, `${key} is a DiT metric`);
  const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();
  assert.deepEqual(names(`${root}/vae`).filter((n) => n !== "checkpoints"), ["metrics.jsonl", "samples", "vae"]);
  assert.deepEqual(names(`${root}/vae/samples`), ["vae-recon-000.png", "vae-recon-001.png"]);
  const logged = (await Deno.readTextFile(`${root}/vae/metrics.jsonl`)).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(logged.map((r) => `${r.phase}:${r.step}`), ["vae:1", "vae:2", "vae:3"]);

  // The stage, loaded by a foundation run: its VAE is copied and scores the same on the same held-out clips.
  const onVae = tinyRun({ preset: "vae-smoke", checkpoint: `${root}/vae/vae`, steps: 0 }, { steps: 1 });
  Object.assign(as(onVae.config, "pretrain").sample, { steps: 2 });
  const dit = await runPipeline(onVae, runContext(`${root}/dit`, "dit"));
  assert.equal(dit.metrics.vae_recon_psnr, out.metrics.vae_recon_psnr);
  assert.equal(dit.metrics.steps, 1);
  assert.equal("vae_steps" in dit.metrics, false, "a loaded VAE records no training");
  assert.deepEqual(await Deno.readFile(`${root}/dit/vae/vae.safetensors`), await Deno.readFile(`${root}/vae/vae/vae.safetensors`));
});

Deno.test("vae.init starts the VAE training from a trained VAE's weights, and refuses a folder of another architecture", async () => {
  const root = await Deno.makeTempDir();
  const vaeOnly = (steps: number, extra: Record<string, unknown> = {}) => tinyVaeRun({ preset: "vae-smoke", steps, ...extra });
  const first = await runPipeline(vaeOnly(4), runContext(`${root}/a`, "a"));
  // One step at a negligible learning rate: from the trained weights it scores as they do, from scratch it does not.
  const continued = await runPipeline(vaeOnly(1, { init: `${root}/a/vae`, lr: 1e-9 }), runContext(`${root}/b`, "b"));
  const fresh = await runPipeline(vaeOnly(1, { lr: 1e-9 }), runContext(`${root}/c`, "c"));
  const [a, b, c] = [first, continued, fresh].map((o) => o.metrics.vae_recon_psnr as number);
  assert.ok(Math.abs(b - a) < 1e-3, `continued ${b} vs trained ${a}`);
  assert.ok(Math.abs(c - a) > 0.1, `fresh ${c} vs trained ${a}`);
  await assert.rejects(
    () => runPipeline(vaeOnly(1, { init: `${root}/a/vae`, preset: "vae-toy-z16" }), runContext(`${root}/d`, "d")),
    (e: Error) => e instanceof RangeError && /Cannot start vae.preset "vae-toy-z16" from .*\/a\/vae: its architecture is \{"zDim":4,"dim":4/.test(e.message),
  );
  assert.throws(
    () => resolveRuns("t", { question: "d", recipe: "defaults", overrides: { vae: { init: "x/vae", checkpoint: "y/vae", steps: 0 } }, axes: {} }),
    /vae.init "x\/vae" starts a VAE training, which needs vae.checkpoint null, received "y\/vae"/,
  );
});
