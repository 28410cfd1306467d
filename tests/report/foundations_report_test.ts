/**
 * The lib/report functions notebook 06 loads and shapes its results with:
 * finished runs, sample sets read by their sampler.json, the paired
 * difference, strip splitting and stacking, the lineage of continued runs on
 * one step axis, guidance labels, strength points and the VAE table; each on
 * small hand-made folders with hand-computed values.
 */
import assert from "node:assert/strict";
import type { SamplerConfig } from "../../lib/diffusion/mod.ts";
import type { FoundationScore } from "../../lib/eval/mod.ts";
import { encodePng } from "../../lib/io/png.ts";
import {
  foundationRows,
  guidanceLabel,
  loadFinishedRuns,
  loadSampleSets,
  pairedDifference,
  sampleSetColumns,
  type SampleSetRecord,
  stackImages,
  stackStrips,
  strengthPoints,
  stripRows,
  vaeRows,
  validationCurves,
  writeVideoStrip,
} from "../../lib/report/mod.ts";
import type { FinishedRun } from "../../lib/report/mod.ts";

const write = (path: string, value: unknown) => Deno.mkdir(path.replace(/\/[^/]+$/, ""), { recursive: true }).then(() => Deno.writeTextFile(path, JSON.stringify(value)));
const CFG3: SamplerConfig = { solver: "unipc", steps: 20, shift: 1, guidance: { kind: "cfg", scale: 3, drop: ["context"] }, interval: null, init: null };

/** A score whose samples find `found` of the keypoints, clip by clip. */
function score(run: string, perClip: number[], scoredAt = "2026-01-01T00:00:00Z", recon = 0.3): FoundationScore {
  const k = (v: number[]) => ({ keypoints_found: v.reduce((a, b) => a + b, 0) / v.length, keypoint_score: 0.2, keypoints_found_per_clip: v, keypoints_found_se: 0.01 });
  const video = (v: number[]) => ({ ...k(v), fid_syn: 5, fvd_syn: 1, psnr: 10, ssim: 0.3 });
  return {
    run, clips: perClip.length, pose_frames: [0, 4, 8], min_score: 0.3, seed: 0,
    samples: video(perClip), reconstructions: video(perClip.map(() => recon)), ground_truth: k(perClip.map(() => 0.5)),
    backend: "cpu", git_commit: "abc", git_dirty: false, scored_at: scoredAt, score_s: 1,
  };
}

/** A stored run as loadSweep returns it. */
function stored(id: string, config: Record<string, unknown>, result: Record<string, unknown> = {}, metrics: Record<string, unknown>[] = []): FinishedRun["run"] {
  return { id, config: { config }, status: { state: "done" }, result, metrics };
}

Deno.test("pairedDifference() gives the mean difference, its standard error sd/√n and the items ahead and behind", () => {
  const d = pairedDifference([0.5, 0.75, 0.25], [0.25, 0.5, 0.25]);
  // d = (0.25, 0.25, 0): mean 1/6, sd² = ((1/12)²·2 + (1/6)²)/2 = 1/48, se = √(1/48/3) = 1/12.
  assert.ok(Math.abs(d.mean - 1 / 6) < 1e-15);
  assert.ok(Math.abs(d.se - 1 / 12) < 1e-15);
  assert.deepEqual([d.ahead, d.behind], [2, 0]);
  assert.throws(() => pairedDifference([1], [1]), /Cannot pair 1 scores with 1/);
  assert.throws(() => pairedDifference([1, 2], [1]), /expected two equally long lists/);
});

Deno.test("stripRows() splits a stored strip into its rows; stackImages() stacks them back with 1-pixel gaps; stackStrips() names a strip of another size", async () => {
  const dir = await Deno.makeTempDir();
  const size = { frames: 2, height: 4, width: 4 };
  const clip = (v: number) => new Float32Array(2 * 4 * 4 * 3).fill(v);
  await writeVideoStrip(`${dir}/a.png`, [clip(0), clip(0.5), clip(1)], size);
  const rows = (await stripRows(`${dir}/a.png`, 3))!;
  assert.deepEqual(rows.map((r) => [r.width, r.height, r.data[0]]), [[9, 4, 0], [9, 4, 128], [9, 4, 255]]);
  assert.equal(await stripRows(`${dir}/none.png`, 2), null);
  await assert.rejects(() => stripRows(`${dir}/a.png`, 2), /height 14\) into 2 rows/);
  const stacked = stackImages(rows);
  assert.deepEqual([stacked.width, stacked.height], [9, 14]);
  assert.deepEqual(stacked.data, (await stripRows(`${dir}/a.png`, 1))![0].data, "stacking undoes the split");
  assert.throws(() => stackImages([rows[0], { ...rows[0], width: 3 }]), /expected one width and channel count/);
  // Another frame count: left out and named. The first strip's top row, then each strip's last row.
  await writeVideoStrip(`${dir}/b.png`, [clip(0.2), clip(0.8)], size);
  const frame = new Float32Array(4 * 4 * 3);
  await writeVideoStrip(`${dir}/c.png`, [frame, frame], { ...size, frames: 1 });
  const s = (await stackStrips([{ name: "b", path: `${dir}/b.png`, rows: 2 }, { name: "gone", path: `${dir}/x.png`, rows: 2 }, { name: "c", path: `${dir}/c.png`, rows: 2 }, { name: "a", path: `${dir}/a.png`, rows: 3 }]))!;
  assert.deepEqual([s.names, s.other], [["b", "a"], ["c"]]);
  assert.deepEqual([s.image.height, s.image.data[0], s.image.data[(4 + 1) * 9 * 3], s.image.data[2 * (4 + 1) * 9 * 3]], [14, 51, 204, 255]);
  assert.equal(await stackStrips([{ name: "gone", path: `${dir}/x.png`, rows: 2 }]), null);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadSampleSets() reads every scored folder with a sampler.json, names its foundation, lists its strips, and keeps the later of one set drawn twice", async () => {
  const root = await Deno.makeTempDir();
  const auto: SamplerConfig = { ...CFG3, guidance: { kind: "autoguidance", scale: 3, guide: "results/g/0", caption: "same" } };
  // A sample task's run folder, and two migrated folders of the foundation itself.
  await write(`${root}/foundation_sampling/1/samples/sampler.json`, auto);
  await write(`${root}/foundation_sampling/1/samples/sample_set.json`, { foundation: "results/f/0", clips: 2, seed: 0, strips: 0 });
  await write(`${root}/foundation_sampling/1/samples/foundation_score.json`, score("results/f/0", [0.5, 0.75], "2026-02-01T00:00:00Z"));
  await write(`${root}/f/0/samples/old_auto/sampler.json`, { ...auto, interval: undefined });
  await write(`${root}/f/0/samples/old_auto/foundation_score.json`, score("results/f/0", [0.5, 0.75]));
  await write(`${root}/f/0/samples/own/sampler.json`, CFG3);
  await write(`${root}/f/0/samples/own/foundation_score.json`, score("results/f/0", [0.25, 0.5]));
  await Deno.writeFile(`${root}/f/0/samples/own/eval-001.png`, new Uint8Array());
  await Deno.writeFile(`${root}/f/0/samples/own/eval-000.png`, new Uint8Array());
  // Not sample sets: drawn but not scored, a VAE-only score, the run's own end-of-training samples.
  await write(`${root}/f/0/samples/unscored/sampler.json`, CFG3);
  await write(`${root}/vae/0/foundation_score.json`, { ...score("results/vae/0", [0.1, 0.2]), samples: null });
  await Deno.writeFile(`${root}/f/0/samples/eval-000.png`, new Uint8Array());
  // An experiment folder linked in from elsewhere (as a results root assembled from several).
  const elsewhere = await Deno.makeTempDir();
  await write(`${elsewhere}/0/samples/sampler.json`, { ...CFG3, steps: 8 });
  await write(`${elsewhere}/0/samples/foundation_score.json`, score("results/linked/0", [0, 0]));
  await Deno.symlink(elsewhere, `${root}/linked`);
  const sets = await loadSampleSets(root);
  assert.deepEqual(sets.map((s) => [s.foundation, s.folder, s.strips]), [
    ["f/0", "f/0/samples/own", ["eval-000.png", "eval-001.png"]],
    ["f/0", "foundation_sampling/1/samples", []],
    ["linked/0", "linked/0/samples", []],
  ]);
  assert.deepEqual(sets.find((s) => s.folder === "f/0/samples/own")!.sampler, CFG3);
  await write(`${root}/bad/0/samples/sampler.json`, { ...CFG3, steps: 0 });
  await write(`${root}/bad/0/samples/foundation_score.json`, score("results/bad/0", [0, 0]));
  await assert.rejects(() => loadSampleSets(root), /bad\/0\/samples\/sampler\.json: Cannot sample as steps must be an integer >= 1/);
  await Deno.remove(root, { recursive: true });
  await Deno.remove(elsewhere, { recursive: true });
});

Deno.test("sampleSetColumns() pairs a set with its baseline clip by clip; guidanceLabel() names the second branch; strengthPoints() places each start at its σ", () => {
  const set = (sampler: SamplerConfig, perClip: number[]): SampleSetRecord => ({ folder: "x", foundation: "f/0", sampler, clips: perClip.length, seed: 0, score: score("f/0", perClip), strips: [] });
  const own = set(CFG3, [0.25, 0.5, 0.25]), other = set({ ...CFG3, guidance: { kind: "none" } }, [0.5, 0.75, 0.25]);
  const cols = sampleSetColumns(other, own);
  assert.equal(cols["keypoints found: samples"], 0.5);
  assert.ok(Math.abs((cols["vs the run's own (paired)"] as number) - 1 / 6) < 1e-15);
  assert.equal(cols["clips ahead / behind"], "2 / 0");
  assert.deepEqual([sampleSetColumns(own, own)["vs the run's own (paired)"], sampleSetColumns(own)["clips ahead / behind"]], [null, ""]);
  assert.equal(guidanceLabel(CFG3), "classifier-free");
  assert.equal(guidanceLabel({ ...CFG3, guidance: { kind: "none" }, interval: { min: 0.5, max: 1 } }), "classifier-free, σ in [0.5, 1]");
  const auto = { kind: "autoguidance", scale: 2, guide: "results/g/0", caption: "empty" } as const;
  assert.equal(guidanceLabel({ ...CFG3, guidance: auto }), "g/0, empty caption");
  assert.equal(guidanceLabel({ ...CFG3, guidance: { ...auto, cfg: 3 }, interval: { min: 0.2, max: 0.85 } }), "g/0, empty caption, plus classifier-free 3, σ in [0.2, 0.85]");
  // UniPC 20 steps at shift 1: σ_i = 0.999·(1 − i/20) in float32; strength 0.6 takes 12 steps from σ_8.
  const points = strengthPoints(own, [set({ ...CFG3, init: { strength: 0.6 } }, [0.5, 0.5, 0.5])]);
  assert.deepEqual(points.map((p) => [p.strength, p.taken, p.samples]), [[0, 0, "VAE reconstructions"], [0.6, 12, "from the clips"], [1, 20, "from noise (the run's own)"]]);
  assert.equal(points[1].sigma, Math.fround(Math.fround(0.999) * (1 - 8 / 20)));
  assert.equal(points[0].scores, own.score.reconstructions);
  assert.equal(points[2].sigma, Math.fround(0.999));
});

Deno.test("loadFinishedRuns() lists the done runs as <experiment>/<run> and the experiments without one; foundationRows() and validationCurves() read them", async () => {
  const root = await Deno.makeTempDir();
  const cfg = (checkpoint: string | null, vae: string | null = null) => ({ index: 0, config: { data: { trainClips: 8, frames: 9 }, model: { preset: "wan-toy", checkpoint }, vae: { preset: "v", steps: 1, checkpoint: vae } } });
  await write(`${root}/a/0/config.json`, cfg(null));
  await write(`${root}/a/0/status.json`, { state: "done" });
  await write(`${root}/a/0/result.json`, { steps: 100, final_val_loss: 0.5, final_val_loss_empty_caption: 0.75 });
  await Deno.writeTextFile(`${root}/a/0/metrics.jsonl`, `{"phase":"dit","step":50,"val_loss":0.6}\n{"phase":"dit","step":100,"val_loss":0.5}\n`);
  await write(`${root}/b/0/config.json`, cfg("results/a/0/dit", "results/a/0/vae"));
  await write(`${root}/b/0/status.json`, { state: "done" });
  await write(`${root}/b/0/result.json`, { steps: 30 });
  await Deno.writeTextFile(`${root}/b/0/metrics.jsonl`, `{"phase":"dit","step":10,"val_loss":0.4}\n`);
  await write(`${root}/c/0/config.json`, cfg(null));
  await write(`${root}/c/0/status.json`, { state: "running" });
  const { found, missing } = await loadFinishedRuns(root, ["a", "b", "c", "none"]);
  assert.deepEqual([found.map((f) => f.name), missing], [["a/0", "b/0"], ["c", "none"]]);
  const rows = foundationRows(found, { adopted: "b/0" });
  assert.deepEqual(rows.map((r) => [r.foundation, r.adopted, r.continues, r.VAE, r["caption gain"]]), [["a/0", "", "", "a/0", 0.25], ["b/0", "yes", "a/0", "a/0", null]]);
  // b continues a's DiT: its curve starts after a's 100 steps.
  assert.deepEqual(validationCurves(found, "val_loss").map((c) => [c.name, c.x]), [["a/0", [50, 100]], ["b/0", [110]]]);
  assert.deepEqual(validationCurves(found, "val_loss_character"), []);
  const loop = [stored("x", cfg("results/y/0/dit").config, { steps: 1 }, [{ phase: "dit", step: 1, val_loss: 1 }]), stored("y", cfg("results/x/0/dit").config)];
  assert.throws(() => validationCurves([{ name: "x/0", run: loop[0] }, { name: "y/0", run: loop[1] }], "val_loss"), /in a cycle \(x\/0 → y\/0 → x\/0\)/);
  await Deno.remove(root, { recursive: true });
});

Deno.test("vaeRows() lists each VAE with the foundations decoding through it and MoveNet's keypoints on its reconstructions, a VAE-only run's own score first", async () => {
  const root = await Deno.makeTempDir();
  const config = (vae: string | null, init: string | null = null) => ({ data: { trainClips: 4, frames: 9 }, model: { preset: "wan-toy" }, vae: { preset: "vae-smoke", steps: 7, checkpoint: vae, init } });
  const stage = { name: "stage/0", run: stored("0", config(null, "results/image/0/vae"), { vae_recon_psnr: 20 }) };
  const own = { name: "own/0", run: stored("0", config(null), {}) };
  const user = { name: "user/0", run: stored("0", config("results/stage/0/vae"), { vae_recon_psnr_character: 16 }) };
  await write(`${root}/stage/0/foundation_score.json`, { ...score("results/stage/0", [0, 0], undefined, 0.4), samples: null });
  const set = (foundation: string, clips: number, recon: number): SampleSetRecord =>
    ({ folder: "s", foundation, sampler: CFG3, clips, seed: 0, score: score(foundation, new Array(clips).fill(0.1), undefined, recon), strips: [] });
  const rows = await vaeRows([own, stage], [own, user], { root, sets: [set("own/0", 2, 0.2), set("own/0", 100, 0.25), set("user/0", 100, 0.35)] });
  assert.deepEqual(rows.map((r) => [r.VAE, r["starts from"], r["used by"], r["PSNR, whole frame"], r["PSNR, character"], r["keypoints found"], r.params]), [
    ["own/0", "", "own/0", null, null, 0.25, null],
    ["stage/0", "image/0", "user/0", 20, 16, 0.4, null],
  ]);
  await Deno.remove(root, { recursive: true });
});

Deno.test("an image strip written by encodePng splits like one written by writeVideoStrip", async () => {
  const dir = await Deno.makeTempDir();
  const [w, h] = [3, 2 * 2 + 1];
  await Deno.writeFile(`${dir}/s.png`, await encodePng({ width: w, height: h, channels: 3, data: new Uint8Array(w * h * 3).map((_, i) => (i < w * 2 * 3 ? 10 : 200)) }));
  const [top, bottom] = (await stripRows(`${dir}/s.png`, 2))!;
  assert.deepEqual([top.data[0], bottom.data[0], bottom.height], [10, 200, 2]);
  await Deno.remove(dir, { recursive: true });
});
