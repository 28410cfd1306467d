/**
 * 06_foundations.ipynb executes in real Jupyter (Deno kernel) against the
 * committed foundation runs and shows what it promises: one table row per
 * foundation with the numbers of its result.json, the adopted one marked as
 * experiments/_foundation.ts names it, validation curves on one axis of total
 * DiT steps (a continued run drawn from where its source ended), one
 * stacked sample image per evaluation clip, the foundation scores (MoveNet
 * keypoints found, FID-syn, FVD-syn) of each run's sample set drawn with its
 * own sampler (found by its sampler.json) with their bar chart, every score at another guidance scale beside the run's
 * own with the paired difference clip by clip, the scores started from the
 * clips at several strengths between the reconstructions and the plain
 * samples, every run of a sweep (pretrain_dit_vae_video_timesteps) by its
 * folder name, the scores guided by a weaker DiT (autoguidance) beside the
 * classifier-free ones with their paired differences, curves by scale and the
 * best guided setting's strips, and a table of the runs that
 * trained a VAE with their reconstructions stacked per held-out clip. With only some runs present it
 * lists the missing ones and still draws the rest; a strip of another frame
 * size is left out of the stack and named, not stacked into a broken image.
 */
import assert from "node:assert/strict";
import { FOUNDATION } from "../../experiments/_foundation.ts";
import { sameSampler, type SamplerConfig } from "../../lib/diffusion/mod.ts";
import { encodePng } from "../../lib/io/png.ts";
import { migrateRunConfig } from "../../lib/workbench/migrate_run_config.ts";
import { checkFigures, executeNotebook, outputBundles, streamText, tables } from "./execute_notebook.ts";

const root = new URL("../../", import.meta.url).pathname;
const FOUNDATIONS = ["pretrain", "pretrain_dit", "pretrain_dit_16k", "pretrain_dit_16k_long", "pretrain_dit_small", "pretrain_dit_vae_video"];
// The adopted foundation's DiT trained on under four timestep distributions: one sweep, four run folders.
const TIMESTEP_RUNS = ["0-timesteps=logit-normal_0_1-shift=1", "1-timesteps=logit-normal_0_1-shift=3", "2-timesteps=uniform-shift=1", "3-timesteps=uniform-shift=3"]
  .map((id) => `pretrain_dit_vae_video_timesteps/${id}`);
// The foundation's recipe stopped at an eighth and a sixteenth of its steps: the weaker DiTs it is guided by.
const GUIDE_RUN = "pretrain_dit_vae_video_guide/0";
const GUIDE_RUNS = [GUIDE_RUN, "pretrain_dit_vae_video_guide_short/0"];
// Every run the notebook compares, as it names them: <experiment>/<run folder>.
const RUNS = [...FOUNDATIONS.map((e) => `${e}/0`), ...TIMESTEP_RUNS, ...GUIDE_RUNS];
// The runs that trained a VAE: pretrain (its own) and the three VAE-only stages.
const VAES = ["pretrain", "pretrain_vae_image", "pretrain_vae_video", "pretrain_vae_video_long"];
const fmt = (v: number) => Number(v.toPrecision(4)).toString();
const readJson = async (p: string) => JSON.parse(await Deno.readTextFile(p));
// deno-lint-ignore no-explicit-any
type Score = any;
/** A run's scored sample sets, read from each <run>/samples/<name>/ folder's sampler.json and foundation_score.json. */
async function sampleSets(run: string): Promise<{ folder: string; sampler: SamplerConfig; score: Score }[]> {
  const out = [];
  for (const e of Deno.readDirSync(`${root}results/${run}/samples`)) {
    const folder = `${root}results/${run}/samples/${e.name}`;
    if (!e.isDirectory || !(await Deno.stat(`${folder}/sampler.json`).catch(() => null))) continue;
    out.push({ folder, sampler: await readJson(`${folder}/sampler.json`), score: await readJson(`${folder}/foundation_score.json`) });
  }
  return out;
}
/** The run's sample set drawn with its own sampler (its config's solver, steps, shift and classifier-free scale). */
async function ownSet(run: string) {
  const config = migrateRunConfig((await readJson(`${root}results/${run}/config.json`)).config);
  if (config.task !== "pretrain") throw new TypeError(`${run} is a "${config.task}" run, expected a foundation`);
  return (await sampleSets(run)).find((s) => sameSampler(s.sampler, { ...config.sample, shift: config.diffusion.shift }))!;
}
const scale = (s: SamplerConfig) => (s.guidance.kind === "none" ? 1 : s.guidance.scale);

Deno.test("06_foundations.ipynb compares the committed foundations: table from result.json, adopted row, curves on total steps, stacked samples, foundation scores, the VAEs and their reconstructions", async () => {
  const nb = await executeNotebook("06_foundations.ipynb");
  const plots = checkFigures(nb, 6);
  const [table, scoreTable, guidanceTable, strengthTable, guidedTable, vaeTable] = tables(nb);
  const ids: string[] = await readJson(`${root}results/pretrain/0/samples/eval_ids.json`);
  const pngHeight = (b: Record<string, unknown>) =>
    new DataView(Uint8Array.from(atob(String(b["image/png"])), (c) => c.charCodeAt(0)).buffer).getUint32(20);
  assert.deepEqual(table.rows.map((r) => r[0]), RUNS);
  const col = (name: string) => table.head.indexOf(name);
  for (const [i, e] of RUNS.entries()) {
    const vae = (await readJson(`${root}results/${e}/config.json`)).config.vae.checkpoint ?? `results/${e}/vae`;
    assert.equal(`results/${table.rows[i][col("VAE")]}/vae`, vae, `${e} VAE`);
  }

  // Every foundation is scored: the numbers of its own sample set's foundation_score.json, and the same bars in the figure.
  assert.deepEqual(scoreTable.rows.map((r) => r[0]), RUNS);
  const scol = (name: string) => scoreTable.head.indexOf(name);
  const bars = (plots[2]["application/vnd.plotly.v1+json"] as { data: { name: string; y: number[]; error_y: { array: number[] } }[] }).data;
  assert.deepEqual(bars.map((b) => b.name), ["samples", "VAE reconstructions", "ground truth"]);
  for (const [i, e] of RUNS.entries()) {
    const s = (await ownSet(e)).score;
    const row = scoreTable.rows[i];
    assert.equal(row[scol("clips")], "100", `${e} clips`);
    assert.equal(row[scol("keypoints found: samples")], fmt(s.samples.keypoints_found), `${e} keypoints`);
    assert.equal(row[scol("VAE reconstructions")], fmt(s.reconstructions.keypoints_found), `${e} reconstruction keypoints`);
    assert.equal(row[scol("FID-syn: samples")], fmt(s.samples.fid_syn), `${e} FID-syn`);
    assert.equal(row[scol("FVD-syn: reconstructions")], fmt(s.reconstructions.fvd_syn), `${e} reconstruction FVD-syn`);
    assert.equal(bars[0].y[i], s.samples.keypoints_found);
    assert.equal(bars[2].y[i], s.ground_truth.keypoints_found);
    assert.equal(bars[0].error_y.array[i], s.samples.keypoints_found_se, `${e} standard error`);
  }

  // The adopted foundation's sample sets at other classifier-free scales (sampler.json: guidance none or cfg, from
  // noise, every step): one row each, by scale, the run's own marked, with the paired difference from the run's own
  // score computed by hand here from the per-clip fractions.
  const all = await sampleSets("pretrain_dit_vae_video/0");
  const scores = all.filter((s) => s.sampler.guidance.kind !== "autoguidance" && !s.sampler.interval && !s.sampler.init)
    .sort((a, b) => scale(a.sampler) - scale(b.sampler));
  assert.ok(scores.length >= 2, "the adopted foundation has scores at other guidance scales");
  const own = (await ownSet("pretrain_dit_vae_video/0")).score;
  const gcol = (name: string) => guidanceTable.head.indexOf(name);
  assert.deepEqual(guidanceTable.rows.map((r) => r[gcol("guidance")]), scores.map((s) => String(scale(s.sampler))));
  assert.deepEqual(guidanceTable.rows.map((r) => r[gcol("guidance")]), ["1", "3", "5", "8"]);
  for (const [i, { sampler, score: s }] of scores.entries()) {
    const row = guidanceTable.rows[i];
    assert.equal(row[0], "pretrain_dit_vae_video/0");
    assert.equal(row[gcol("keypoints found: samples")], fmt(s.samples.keypoints_found), `guidance ${scale(sampler)}`);
    const isOwn = JSON.stringify(s) === JSON.stringify(own);
    assert.equal(row[gcol("setting")], isOwn ? "the run's own" : "override");
    if (isOwn) continue;
    const d = s.samples.keypoints_found_per_clip.map((v: number, k: number) => v - own.samples.keypoints_found_per_clip[k]);
    const m = d.reduce((a: number, b: number) => a + b, 0) / d.length;
    const se = Math.sqrt(d.reduce((a: number, v: number) => a + (v - m) ** 2, 0) / (d.length - 1) / d.length);
    assert.equal(row[gcol("vs the run's own (paired)")], fmt(m), `guidance ${scale(sampler)} paired difference`);
    assert.equal(row[gcol("± SE (paired)")], fmt(se));
    assert.equal(row[gcol("clips ahead / behind")], `${d.filter((v: number) => v > 0).length} / ${d.filter((v: number) => v < 0).length}`);
  }
  assert.deepEqual(guidanceTable.rows.map((r) => r[gcol("setting")]), ["override", "the run's own", "override", "override"]);
  const curve = (plots[3]["application/vnd.plotly.v1+json"] as { data: { name: string; x: number[]; y: number[] }[] }).data;
  assert.deepEqual(curve.map((c) => c.name), ["pretrain_dit_vae_video/0"]);
  assert.deepEqual(curve[0].x, scores.map((s) => scale(s.sampler)));
  assert.deepEqual(curve[0].y, scores.map((s) => s.score.samples.keypoints_found));

  // Started from the clips at several strengths: one row per file between the reconstructions (strength 0) and
  // the run's own samples (strength 1), at the schedule's σ of the first step taken (UniPC 20 steps, shift 1:
  // σ_i = 0.999·(1 − i/20)).
  const edited = all.filter((s) => s.sampler.init).map((s) => ({ strength: s.sampler.init!.strength, samples: s.score.samples }))
    .sort((a, b) => a.strength - b.strength);
  assert.ok(edited.length >= 3, "the adopted foundation is scored from its clips at several strengths");
  const tcol = (name: string) => strengthTable.head.indexOf(name);
  const strengthRows = strengthTable.rows.filter((r) => r[0] === "pretrain_dit_vae_video/0");
  assert.deepEqual(strengthRows.map((r) => r[tcol("strength")]), ["0", ...edited.map((s) => String(s.strength)), "1"]);
  assert.equal(strengthRows[0][tcol("keypoints found")], fmt(own.reconstructions.keypoints_found));
  assert.equal(strengthRows.at(-1)![tcol("keypoints found")], fmt(own.samples.keypoints_found));
  for (const [i, s] of edited.entries()) {
    const row = strengthRows[i + 1];
    const taken = Math.floor(s.strength * 20 + 1e-9);
    assert.equal(row[tcol("solver steps taken")], String(taken));
    assert.equal(row[tcol("starting σ")], fmt(Math.fround(Math.fround(0.999) * (1 - (20 - taken) / 20))), `strength ${s.strength} σ`);
    assert.equal(row[tcol("keypoints found")], fmt(s.samples.keypoints_found), `strength ${s.strength}`);
  }
  const strengthCurve = (plots[4]["application/vnd.plotly.v1+json"] as { data: { name: string; y: number[] }[] }).data;
  assert.ok(strengthCurve.some((c) => c.name === "pretrain_dit_vae_video/0"));

  // Guided by a weaker DiT: per run with guided scores, its classifier-free scores at its own steps (the run's own
  // and the guidance overrides) by scale, then each guide and caption by scale, each with the paired difference
  // from the run's own score, computed here from the per-clip fractions.
  const ucol = (name: string) => guidedTable.head.indexOf(name);
  const guidedRuns: string[] = [];
  let guidedStacks = 0;
  for (const name of RUNS) {
    const sets = await sampleSets(name);
    const guided = sets.filter((s) => s.sampler.guidance.kind === "autoguidance");
    if (!guided.length) continue;
    guidedRuns.push(name);
    const mineSet = await ownSet(name), mine = mineSet.score;
    const way = ({ sampler: s }: { sampler: SamplerConfig }) =>
      (s.guidance.kind === "autoguidance" ? `${s.guidance.guide.replace(/^results\//, "")}, ${s.guidance.caption} caption` : "classifier-free") +
      (s.guidance.kind === "autoguidance" && s.guidance.cfg ? `, plus classifier-free ${s.guidance.cfg}` : "") +
      (s.interval ? `, σ in [${s.interval.min}, ${s.interval.max}]` : "");
    const plain = sets.filter((s) => s.sampler.guidance.kind !== "autoguidance" && !s.sampler.interval && !s.sampler.init && s.sampler.steps === mineSet.sampler.steps);
    const ways = ["classifier-free", ...[...new Set(guided.map(way))].sort()];
    const expected = ways.flatMap((w) => [...plain, ...guided].filter((s) => way(s) === w).sort((a, b) => scale(a.sampler) - scale(b.sampler)));
    const rows = guidedTable.rows.filter((r) => r[0] === name);
    assert.equal(rows.length, expected.length, `${name}: one row per score`);
    for (const [i, set] of expected.entries()) {
      const row = rows[i], s = set.score;
      const what = `${name} ${way(set)} at ${scale(set.sampler)}`;
      assert.equal(row[ucol("second branch")], way(set) === "classifier-free" ? "itself, empty caption (classifier-free)" : way(set), what);
      assert.equal(row[ucol("guidance")], String(scale(set.sampler)), what);
      assert.equal(row[ucol("keypoints found: samples")], fmt(s.samples.keypoints_found), what);
      assert.equal(row[ucol("FID-syn")], fmt(s.samples.fid_syn), what);
      if (JSON.stringify(s) === JSON.stringify(mine)) {
        assert.equal(row[ucol("vs the run's own (paired)")], "", `${what}: the run's own has no difference`);
        continue;
      }
      const d = s.samples.keypoints_found_per_clip.map((v: number, k: number) => v - mine.samples.keypoints_found_per_clip[k]);
      const m = d.reduce((a: number, b: number) => a + b, 0) / d.length;
      const se = Math.sqrt(d.reduce((a: number, v: number) => a + (v - m) ** 2, 0) / (d.length - 1) / d.length);
      assert.equal(row[ucol("vs the run's own (paired)")], fmt(m), `${what} paired difference`);
      assert.equal(row[ucol("± SE (paired)")], fmt(se), `${what} paired SE`);
      assert.equal(row[ucol("clips ahead / behind")], `${d.filter((v: number) => v > 0).length} / ${d.filter((v: number) => v < 0).length}`);
    }
    if (guided.some((s) => Deno.readDirSync(s.folder).some((e) => e.name === "eval-000.png"))) guidedStacks += ids.length;
  }
  assert.ok(guidedRuns.includes("pretrain_dit_vae_video/0"), "the adopted foundation is scored guided by the weaker DiT");
  assert.deepEqual([...new Set(guidedTable.rows.map((r) => r[0]))], guidedRuns);
  const guidedCurve = (plots[5]["application/vnd.plotly.v1+json"] as { data: { name: string; x: number[]; y: number[] }[] }).data;
  assert.ok(guidedCurve.some((c) => c.name === `pretrain_dit_vae_video/0: ${GUIDE_RUN}, same caption`), guidedCurve.map((c) => c.name).join("; "));
  assert.ok(guidedCurve.some((c) => c.name === "pretrain_dit_vae_video/0: classifier-free"));
  for (const c of guidedCurve) assert.deepEqual(c.x, [...c.x].sort((a, b) => a - b), `${c.name} by scale`);
  // Each guided stack: the ground truth, the run's own sample and the best guided sample (by keypoints found, among
  // the settings whose FID-syn is no worse than the run's own), 2× (3 rows of 32 px + 2 gaps).
  const guidedImages = outputBundles(nb).filter((b) => "image/png" in b && String(b["text/plain"]).includes(", then guided by "));
  assert.equal(guidedImages.length, guidedStacks);
  assert.equal(pngHeight(guidedImages[0]), 2 * (3 * 32 + 2));
  for (const name of guidedRuns) {
    const withStrips = (await sampleSets(name))
      .filter((s) => s.sampler.guidance.kind === "autoguidance" && Deno.readDirSync(s.folder).some((e) => e.name === "eval-000.png"));
    const mine = (await ownSet(name)).score;
    const best = withStrips.filter((s) => s.score.samples.fid_syn <= mine.samples.fid_syn).sort((a, b) => b.score.samples.keypoints_found - a.score.samples.keypoints_found)[0];
    const label = String(guidedImages.find((b) => String(b["text/plain"]).includes(` · ${name}: the ground truth`))!["text/plain"]);
    const g = best.sampler.guidance as { caption: string; scale: number };
    assert.ok(label.endsWith(`(${g.caption} caption, w = ${g.scale})`), `${name} shows its best guided setting: ${label}`);
  }

  // One row per VAE-training run: its preset, parameter count (from its vae/config.json) and held-out PSNRs.
  assert.deepEqual(vaeTable.rows.map((r) => r[0]), VAES.map((e) => `${e}/0`));
  const vcol = (name: string) => vaeTable.head.indexOf(name);
  for (const [i, e] of VAES.entries()) {
    const result = await readJson(`${root}results/${e}/0/result.json`);
    const row = vaeTable.rows[i];
    assert.equal(row[vcol("preset")], "vae-toy-z16", `${e} preset`);
    assert.equal(row[vcol("params")], "660467", `${e} params`);
    if (i > 0) assert.equal(row[vcol("PSNR, character")], fmt(result.vae_recon_psnr_character), `${e} character PSNR`);
    if (i > 0) assert.equal(row[vcol("PSNR, whole frame")], fmt(result.vae_recon_psnr), `${e} PSNR`);
    // MoveNet on the reconstructions: a VAE-only run's own score (without samples), else its own sample set's.
    const score = i > 0 ? await readJson(`${root}results/${e}/0/foundation_score.json`) : (await ownSet(`${e}/0`)).score;
    assert.equal(row[vcol("keypoints found")], fmt(score.reconstructions.keypoints_found), `${e} keypoints found`);
    if (i > 0) assert.equal(score.samples, null, `${e} is VAE-only`);
  }
  // The same VAE weights scored in the foundation that loads them give the same reconstructions, clip by clip.
  const stage = await readJson(`${root}results/pretrain_vae_video/0/foundation_score.json`);
  const user = (await ownSet("pretrain_dit_vae_video/0")).score;
  assert.deepEqual(stage.reconstructions.keypoints_found_per_clip, user.reconstructions.keypoints_found_per_clip);
  assert.deepEqual(vaeTable.rows.map((r) => r[vcol("frames")]), ["9", "1", "9", "9"]);
  assert.deepEqual(vaeTable.rows.map((r) => r[vcol("starts from")]), ["", "", "pretrain_vae_image/0", "pretrain_vae_video/0"]);
  // pretrain/0 predates the character PSNR: it is taken from a run that loaded that VAE.
  const toyRow = vaeTable.rows[0];
  const toyUser = await readJson(`${root}results/pretrain_dit_16k/0/result.json`);
  assert.equal(toyRow[vcol("PSNR, character")], fmt(toyUser.vae_recon_psnr_character));
  assert.ok(toyRow[vcol("used by")].startsWith("pretrain/0, pretrain_dit/0, pretrain_dit_16k/0"));
  // The two-stage VAE is used by the foundation trained on it, the image stage and the third stage by none.
  assert.deepEqual(vaeTable.rows.map((r) => r[vcol("used by")]).slice(1), ["", ["pretrain_dit_vae_video/0", ...TIMESTEP_RUNS, ...GUIDE_RUNS].join(", "), ""]);
  for (const [i, e] of RUNS.entries()) {
    const result = await readJson(`${root}results/${e}/result.json`);
    const row = table.rows[i];
    assert.equal(row[col("val_loss")], fmt(result.final_val_loss), `${e} val_loss`);
    assert.equal(row[col("DiT steps")], String(result.steps), `${e} steps`);
    assert.equal(row[col("DiT params")], String(result.dit_params), `${e} DiT params`);
    assert.equal(row[col("adopted")], `results/${e}` === FOUNDATION ? "yes" : "", `${e} adopted`);
    if (typeof result.final_val_loss_empty_caption === "number") {
      assert.equal(row[col("caption gain")], fmt(result.final_val_loss_empty_caption - result.final_val_loss), `${e} caption gain`);
    }
  }
  assert.equal(table.rows.filter((r) => r[col("adopted")] === "yes").length, 1);

  // The continued run starts where its source ended: after the source's last step.
  const source = await readJson(`${root}results/pretrain_dit_16k/0/result.json`);
  const traces = (plots[0]["application/vnd.plotly.v1+json"] as { data: { name: string; x: number[] }[] }).data;
  const long = traces.find((t) => t.name === "pretrain_dit_16k_long/0")!;
  assert.ok(long.x[0] > source.steps, `the continued curve starts at ${long.x[0]}, expected after ${source.steps}`);
  const adoptedSteps = (await readJson(`${root}results/pretrain_dit_vae_video/0/result.json`)).steps;
  for (const name of TIMESTEP_RUNS) assert.ok(traces.find((t) => t.name === name)!.x[0] > adoptedSteps, `${name} starts after ${adoptedSteps}`);

  // One image per evaluation clip: ground truth and each run's sample, 2× (11 rows of 32 px + 10 gaps).
  const images = outputBundles(nb).filter((b) => "image/png" in b);
  const samples = images.filter((b) => String(b["text/plain"]).includes(": ground truth, then"));
  assert.equal(samples.length, ids.length);
  for (const [i, b] of samples.entries()) assert.ok(String(b["text/plain"]).startsWith(`${ids[i]}: ground truth, then pretrain/0,`));
  assert.equal(pngHeight(samples[0]), 2 * ((RUNS.length + 1) * 32 + RUNS.length));
  // Four held-out clips, each above the 9-frame VAEs' reconstructions, 2× (4 rows of 32 px + 3 gaps); the image stage's single frames are named, not stacked.
  const recons = images.filter((b) => String(b["text/plain"]).startsWith("held-out clip"));
  assert.deepEqual(
    recons.map((b) => String(b["text/plain"])),
    [0, 1, 2, 3].map((i) => `held-out clip ${i}: the clip, then pretrain/0, pretrain_vae_video/0, pretrain_vae_video_long/0`),
  );
  assert.equal(pngHeight(recons[0]), 2 * (4 * 32 + 3));
  assert.match(streamText(nb), /vae-recon-003\.png: not stacked, another frame count or size: pretrain_vae_image\/0/);
  assert.equal(images.length, ids.length + 4 + guidedStacks);
});

Deno.test("06_foundations.ipynb with some runs lists the missing ones, draws a continued run from its own steps, and leaves out strips of another size", async () => {
  const results = await Deno.makeTempDir();
  await Deno.symlink(`${root}results/pretrain_dit_16k_long`, `${results}/pretrain_dit_16k_long`);
  // A pretrain run whose one sample strip has 5 frames instead of 9 (ground truth above a gap, sample below).
  const fake = `${results}/pretrain/0`;
  await Deno.mkdir(`${fake}/samples`, { recursive: true });
  for (const f of ["config.json", "status.json", "result.json", "metrics.jsonl"]) await Deno.copyFile(`${root}results/pretrain/0/${f}`, `${fake}/${f}`);
  const width = 5 * 32 + 4, height = 2 * 32 + 1;
  await Deno.writeFile(`${fake}/samples/eval-000.png`, await encodePng({ width, height, channels: 3, data: new Uint8Array(width * height * 3).fill(90) }));
  const nb = await executeNotebook("06_foundations.ipynb", { WORKBENCH_RESULTS: results });
  const plots = checkFigures(nb, 3);
  const first = outputBundles(nb).map((b) => String(b["text/plain"] ?? "")).find((t) => t.includes("foundations loaded"))!;
  assert.match(first, /2 foundations loaded \(pretrain\/0, pretrain_dit_16k_long\/0\).*missing: pretrain_dit, pretrain_dit_16k, pretrain_dit_small, pretrain_dit_vae_video, pretrain_dit_vae_video_timesteps, pretrain_dit_vae_video_guide, pretrain_dit_vae_video_guide_short"/);
  // Only the continued run has a scored sample set (the fake pretrain run has none, and is named).
  const [, scoreTable, vaeTable] = tables(nb);
  assert.deepEqual(scoreTable.rows.map((r) => r[0]), ["pretrain_dit_16k_long/0"]);
  assert.match(outputBundles(nb).map((b) => String(b["text/plain"] ?? "")).join("\n"), /1 foundations scored; not scored \(a "sample" task with the run's own sampler\): pretrain\/0/);
  // No foundation here has scores at another guidance scale: no table, no curve, and the count says so.
  assert.match(outputBundles(nb).map((b) => String(b["text/plain"] ?? "")).join("\n"), /0 scores of 0 foundations at more than one sampler setting/);
  assert.match(outputBundles(nb).map((b) => String(b["text/plain"] ?? "")).join("\n"), /0 foundations scored from their clips at 0 strengths/);
  assert.match(outputBundles(nb).map((b) => String(b["text/plain"] ?? "")).join("\n"), /0 scores of 0 foundations guided by another DiT or at another classifier-free scale; 0 clips shown/);
  // The VAE section: pretrain's VAE only, the stages named as missing.
  assert.deepEqual(vaeTable.rows.map((r) => r[0]), ["pretrain/0"]);
  assert.match(outputBundles(nb).map((b) => String(b["text/plain"] ?? "")).join("\n"), /VAE runs: 1; reconstruction images: 0; missing: pretrain_vae_image, pretrain_vae_video, pretrain_vae_video_long/);
  const [table] = tables(nb);
  assert.deepEqual(table.rows.map((r) => r[0]), ["pretrain/0", "pretrain_dit_16k_long/0"]);
  const traces = (plots[0]["application/vnd.plotly.v1+json"] as { data: { name: string; x: number[] }[] }).data;
  assert.equal(traces.find((t) => t.name === "pretrain_dit_16k_long/0")!.x[0], 500);
  // eval-000: the 5-frame strip comes first and sets the size, so the 9-frame one is left out and named.
  const images = outputBundles(nb).filter((b) => "image/png" in b).map((b) => String(b["text/plain"]));
  assert.match(images[0], /: ground truth, then pretrain\/0$/);
  assert.match(images[1], /: ground truth, then pretrain_dit_16k_long\/0$/);
  assert.match(streamText(nb), /eval-000\.png: not stacked, another frame size: pretrain_dit_16k_long\/0/);
  await Deno.remove(results, { recursive: true });
});
