/**
 * The foundation scores written before sampling was a task become sample
 * folders once (sampler.json from their `sample` record, the same numbers),
 * and the committed results are in that shape.
 */
import assert from "node:assert/strict";
import { checkSamplerConfig, type SamplerConfig } from "../../lib/diffusion/mod.ts";
import { migrateFoundationScores, samplerFromOldRecord } from "../../lib/workbench/migrate_foundation_scores.ts";
import { writeJson } from "../../lib/workbench/mod.ts";

const root = new URL("../../", import.meta.url).pathname;
const read = async (p: string) => JSON.parse(await Deno.readTextFile(p));

/** An old score file's fields around a `sample` record. */
function oldScore(run: string, sample: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const scores = { keypoints_found: 0.25, keypoint_score: 0.2, keypoints_found_per_clip: [0.2, 0.3], keypoints_found_se: 0.05, fid_syn: 3, fvd_syn: 1, psnr: 10, ssim: 0.3 };
  return {
    run,
    clips: 2,
    pose_frames: [0, 4, 8],
    min_score: 0.3,
    seed: 0,
    sample,
    overrides: {},
    samples: sample === null ? null : scores,
    reconstructions: scores,
    ground_truth: { keypoints_found: 0.5, keypoint_score: 0.4, keypoints_found_per_clip: [0.5, 0.5], keypoints_found_se: 0 },
    backend: "blas",
    git_commit: "abc",
    git_dirty: false,
    scored_at: "2026-12-05T22:58:21.404Z",
    score_s: 1,
    ...extra,
  };
}

Deno.test("samplerFromOldRecord() maps the old record: guidance 1 is none, a guide is autoguidance (with its cfg), strength < 1 is init", () => {
  const base = { solver: "unipc", steps: 20, shift: 1 } as const;
  assert.deepEqual(samplerFromOldRecord({ ...base, guidance: 3 }), { ...base, guidance: { kind: "cfg", scale: 3, drop: ["context"] }, interval: null, init: null });
  assert.deepEqual(samplerFromOldRecord({ ...base, guidance: 1, strength: 1, guide: null, interval: null }).guidance, { kind: "none" });
  assert.deepEqual(samplerFromOldRecord({ ...base, guidance: 3, strength: 0.6 }).init, { strength: 0.6 });
  assert.deepEqual(
    samplerFromOldRecord({ ...base, guidance: 2, guide: { run: "results/g/0", caption: "empty", cfg: null }, interval: { min: 0.2, max: 0.85 } }),
    { ...base, guidance: { kind: "autoguidance", scale: 2, guide: "results/g/0", caption: "empty" }, interval: { min: 0.2, max: 0.85 }, init: null },
  );
  assert.deepEqual(samplerFromOldRecord({ ...base, guidance: 3, guide: { run: "g", caption: "same", cfg: 3 } }).guidance, { kind: "autoguidance", scale: 3, guide: "g", caption: "same", cfg: 3 });
  assert.throws(() => samplerFromOldRecord({ ...base, guidance: 3, strength: 0.01 }), /a migrated score's sample record: .*strength 0.01/);
});

Deno.test("migrateFoundationScores() moves each score into a sample folder beside its strips, rewrites a VAE-only score in place, and runs once", async () => {
  const dir = await Deno.makeTempDir();
  const run = `${dir}/exp/0`;
  const guided = "foundation_score_guide=g-0_guide_cfg=3";
  await Deno.mkdir(`${run}/samples/${guided}`, { recursive: true });
  await Deno.writeFile(`${run}/samples/${guided}/eval-000.png`, new Uint8Array([1]));
  const own = oldScore("results/exp/0", { solver: "unipc", steps: 20, guidance: 3, shift: 1 });
  const auto = oldScore("results/exp/0", { solver: "unipc", steps: 20, guidance: 3, shift: 1, strength: 1, guide: { run: "results/g/0", caption: "same", cfg: 3 }, interval: null }, {
    strips_dir: `samples/${guided}`,
    overrides: { guide: "results/g/0", guide_cfg: 3 },
  });
  await writeJson(`${run}/foundation_score.json`, own);
  await writeJson(`${run}/${guided}.json`, auto);
  await Deno.mkdir(`${dir}/vae/0`, { recursive: true });
  await writeJson(`${dir}/vae/0/foundation_score.json`, oldScore("results/vae/0", null));

  const moved = await migrateFoundationScores(dir);
  assert.equal(moved.length, 3);
  assert.deepEqual([...Deno.readDirSync(run)].map((e) => e.name).sort(), ["samples"]);
  const folder = `${run}/samples/${guided}`;
  assert.deepEqual([...Deno.readDirSync(folder)].map((e) => e.name).sort(), ["eval-000.png", "foundation_score.json", "sample_set.json", "sampler.json"]);
  const sampler: SamplerConfig = await read(`${folder}/sampler.json`);
  assert.deepEqual(sampler, { solver: "unipc", steps: 20, shift: 1, guidance: { kind: "autoguidance", scale: 3, guide: "results/g/0", caption: "same", cfg: 3 }, interval: null, init: null });
  assert.deepEqual(await read(`${folder}/sample_set.json`), { foundation: "results/exp/0", clips: 2, seed: 0, strips: 1, migrated_from: `${guided}.json` });
  const { sample: _s, overrides: _o, strips_dir: _d, ...numbers } = auto;
  assert.deepEqual(await read(`${folder}/foundation_score.json`), numbers);
  assert.deepEqual((await read(`${run}/samples/foundation_score/sampler.json`)).guidance, { kind: "cfg", scale: 3, drop: ["context"] });
  const { sample: _v, overrides: _vo, ...vaeNumbers } = oldScore("results/vae/0", null);
  assert.deepEqual(await read(`${dir}/vae/0/foundation_score.json`), { ...vaeNumbers, seed: null });
  assert.deepEqual(await migrateFoundationScores(dir), [], "a second run changes nothing");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the committed results are migrated: every sample folder has a valid sampler.json and a score, and only VAE-only runs keep a run-level score", async () => {
  let folders = 0;
  for (const exp of Deno.readDirSync(`${root}results`)) {
    if (!exp.isDirectory) continue;
    for (const run of Deno.readDirSync(`${root}results/${exp.name}`)) {
      if (!run.isDirectory) continue;
      const dir = `${root}results/${exp.name}/${run.name}`;
      for (const f of Deno.readDirSync(dir)) {
        assert.ok(!/^foundation_score_.*\.json$/.test(f.name), `${dir}/${f.name} is in the old shape`);
        if (f.name === "foundation_score.json") assert.equal((await read(`${dir}/${f.name}`)).samples, null, `${dir}: a run-level score is a VAE-only run's`);
      }
      for (const s of await sampleFolders(`${dir}/samples`)) {
        checkSamplerConfig(await read(`${s}/sampler.json`), s);
        const score = await read(`${s}/foundation_score.json`);
        assert.ok(score.samples !== null && !("sample" in score), `${s}: a score of samples, in the new shape`);
        folders++;
      }
    }
  }
  assert.ok(folders >= 42, `${folders} sample folders`);
});

/** The sample folders at <run>/samples and <run>/samples/<name>. */
async function sampleFolders(samples: string): Promise<string[]> {
  const has = (d: string) => Deno.stat(`${d}/sampler.json`).then(() => true, () => false);
  const out = (await has(samples)) ? [samples] : [];
  try {
    for (const e of Deno.readDirSync(samples)) if (e.isDirectory && await has(`${samples}/${e.name}`)) out.push(`${samples}/${e.name}`);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out;
}
