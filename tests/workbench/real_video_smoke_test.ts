/**
 * Videos through the whole pipeline as a user runs it on their own folder
 * (experiments/real_video_smoke.ts): mp4 videos rendered for it, then the
 * commands of deno.json's tasks in separate processes — data:ingest,
 * data:eval-set --from, ablate real_video_smoke (fine-tune from the committed
 * foundation, sample the held-out clips), ablate real_video_smoke_benchmark
 * (benchmark them) — with each stage's
 * files checked; the folders a run must refuse before any work; and the
 * sample task and foundation:score's evaluator on a folder's clips;
 * animate:long driven by a folder of longer clips.
 */
import assert from "node:assert/strict";
import { writeClipVideos } from "../../datasets/synthetic/write_clip_videos.ts";
import type { Clip } from "../../lib/data/clip.ts";
import { readClipShard } from "../../lib/data/read_clip_shard.ts";
import { writeClipShard } from "../../lib/data/write_clip_shard.ts";
import { buildFolderEvalManifest, folderManifestPath } from "../../lib/data/folder_eval_manifest.ts";
import { ClipFolderError } from "../../lib/data/open_clip_folder.ts";
import { initEngine } from "../../lib/engine/mod.ts";
import { readSafetensors } from "../../lib/io/safetensors.ts";
import { PAPER_COLUMNS } from "../../lib/eval/syn/paper_columns.ts";
import { resolveRuns } from "../../lib/workbench/mod.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import { sampleFoundation } from "../../lib/workbench/sample_foundation.ts";
import { scoreFoundation } from "../../lib/workbench/score_foundation.ts";
import { FOUNDATION } from "../../experiments/_foundation.ts";
import realVideoSmoke from "../../experiments/real_video_smoke.ts";
import { as, runContext } from "./_fixtures.ts";

const root = new URL("../../", import.meta.url).pathname;
const exists = (p: string) => Deno.stat(p).then(() => true, () => false);

/** Runs `deno task <name> …args` as deno.json defines it, in the repository root. */
async function task(name: string, args: string[]): Promise<{ code: number; text: string }> {
  const tasks = JSON.parse(await Deno.readTextFile(`${root}deno.json`)).tasks as Record<string, string>;
  const [deno, ...line] = tasks[name].split(" ");
  assert.equal(deno, "deno", `task ${name} runs ${tasks[name]}`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...line, ...args],
    cwd: root,
    env: { WORKBENCH_BACKEND: "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, text: new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout) };
}

Deno.test("real_video_smoke: ingest → eval split → fine-tune → sample → benchmark, each stage's files in place", async () => {
  // The experiment's folder, relative to the repository root (git-ignored), made afresh.
  const path = (realVideoSmoke.overrides.data?.source as { path: string }).path;
  const home = `${root}${path.replace(/\/clips$/, "")}`;
  await Deno.remove(home, { recursive: true }).catch(() => {});
  const results = await Deno.makeTempDir();

  // Stage 0: six short mp4 videos, five captioned in captions.jsonl (the sixth trains with the empty caption).
  const videos = await writeClipVideos(`${home}/videos`, { count: 6, frames: 17, size: 128, captions: 5 });
  assert.equal(videos.length, 6);

  // Stage 1: data:ingest — one shard per video and ingest.json.
  const ingest = await task("data:ingest", [
    "--in", `${home}/videos`, "--out", `${root}${path}`, "--frames", "5", "--size", "32",
    "--body", "movenet-lightning", "--landmarks", "blazepose-lite", "--hands", "handlandmark-lite",
  ]);
  assert.equal(ingest.code, 0, ingest.text.slice(-3000));
  const report = JSON.parse(await Deno.readTextFile(`${root}${path}/ingest.json`));
  assert.equal(report.ok, 6);
  for (const e of report.entries) {
    assert.equal(e.kept.keptFrames, 5);
    assert.equal(e.kept.bodyKeypointsKept.length, 5);
    assert.ok(await exists(e.shard), e.shard);
  }
  assert.deepEqual(report.entries.map((e: { kept: { captionSource: string } }) => e.kept.captionSource), [
    ...new Array(5).fill("captions.jsonl"),
    "none",
  ]);
  const last = (await readClipShard(`${root}${path}/clip-005.safetensors`)).clips[0];
  assert.equal(last.caption, "");
  assert.equal(last.referenceMask?.length, 32 * 32);

  // Stage 2: data:eval-set --from — two held-out clips, four to train on.
  const split = await task("data:eval-set", ["--from", path, "--clips", "2"]);
  assert.equal(split.code, 0, split.text);
  assert.match(split.text, /2 of 6 clips held out for evaluation .* 4 left for training/);
  const manifest = JSON.parse(await Deno.readTextFile(`${root}${folderManifestPath(path)}`));
  assert.equal(manifest.clips.length, 2);

  // Stage 3: ablate real_video_smoke fine-tunes and samples, then ablate real_video_smoke_benchmark benchmarks its weights.
  for (const name of ["real_video_smoke", "real_video_smoke_benchmark"]) {
    const ablate = await task("ablate", [name, "--results", results]);
    assert.equal(ablate.code, 0, ablate.text.slice(-4000));
  }
  const [animate, bench] = [`${results}/real_video_smoke/0`, `${results}/real_video_smoke_benchmark/0`];
  for (const f of ["config.json", "result.json", "metrics.jsonl", "memory.json", "dit/design.json", "dit/design.safetensors"]) {
    assert.ok(await exists(`${animate}/${f}`), `fine-tuning: ${f}`);
  }
  const config = JSON.parse(await Deno.readTextFile(`${animate}/config.json`)).config;
  assert.deepEqual(config.data.source, { kind: "folder", path });
  const trained = JSON.parse(await Deno.readTextFile(`${animate}/result.json`));
  assert.equal(trained.steps, 4);
  assert.ok(Number.isFinite(trained.final_val_loss) && Number.isFinite(trained.psnr), JSON.stringify(trained));
  for (const dir of [animate, bench]) {
    for (const f of ["generated", "reference", "masks", "reference_images"]) {
      assert.ok(await exists(`${dir}/samples/${f}.safetensors`), `${dir}: samples/${f}.safetensors`);
    }
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/samples/eval_ids.json`)), manifest.clips.map((c: { id: string }) => c.id));
    for (const i of [0, 1]) assert.ok(await exists(`${dir}/samples/eval-00${i}.png`));
  }
  const generated = (await readSafetensors(`${animate}/samples/generated.safetensors`)).tensors.video;
  assert.deepEqual(generated.shape, [2, 5, 32, 32, 3]);
  const refs = (await readSafetensors(`${bench}/samples/reference_images.safetensors`)).tensors;
  assert.deepEqual([refs.image.shape, refs.mask.shape], [[2, 32, 32, 3], [2, 32, 32]]);
  const benchmark = JSON.parse(await Deno.readTextFile(`${bench}/result.json`));
  assert.equal(benchmark.source_run, "0");
  assert.equal(benchmark.clips, 2);
  const columns = JSON.parse(await Deno.readTextFile(`${bench}/eval.json`));
  assert.deepEqual(Object.keys(columns).sort(), [...PAPER_COLUMNS].sort());
  for (const c of ["PSNR", "SSIM", "FID-syn", "LPIPS-syn", "I2V Subject-syn", "Temporal Flickering"]) {
    assert.ok(Number.isFinite(columns[c]), `${c}: ${columns[c]}`);
  }
  // The benchmark samples the same clips with the same weights and noise as the fine-tuning's own samples.
  assert.equal(columns.PSNR, trained.psnr);
  assert.ok(await exists(`${results}/real_video_smoke/summary.parquet`));

  // animate:long: the run's own folder holds 5-frame clips, too short to drive 9 frames; a folder of longer clips does.
  const short = await task("animate:long", ["--run", animate, "--clip", "0", "--frames", "9", "--out", `${results}/long.safetensors`, "--no-features"]);
  assert.equal(short.code, 2, short.text.slice(-2000));
  assert.match(short.text, /Cannot drive a long video with clip folder .*: its clips are 5x32x32 .*the video needs 10 frames or more at 32x32 \(2 segments of 5 frames\); ingest the videos again .*--frames 13 .*--from/);
  const long9 = await folder(3, { frames: 13, height: 32, width: 32 }, true);
  const long = await task("animate:long", ["--run", animate, "--clip", "1", "--frames", "9", "--out", `${results}/long.safetensors`, "--from", long9, "--json", "--no-features"]);
  assert.equal(long.code, 0, long.text.slice(-2000));
  const longReport = JSON.parse(await Deno.readTextFile(`${results}/long.json`));
  assert.equal(longReport.clip_id, JSON.parse(await Deno.readTextFile(`${long9}/eval_manifest.json`)).clips[1].id);
  assert.equal(longReport.frames, 9);
  assert.ok(await exists(`${results}/long.safetensors`) && await exists(`${results}/long.png`));
  await Deno.remove(long9, { recursive: true });
  await Deno.remove(results, { recursive: true });
});

/** A clip of constant pixels (content differs by `level`). */
function fakeClip(id: string, level: number, size: { frames: number; height: number; width: number }): Clip {
  const { frames: f, height: h, width: w } = size;
  const n = f * h * w;
  return {
    id,
    frames: f,
    height: h,
    width: w,
    video: new Float32Array(n * 3).fill(level / 255),
    reference: new Float32Array(h * w * 3).fill(level / 255),
    poses: { skeleton: new Float32Array(n * 3), hands: new Float32Array(n * 3), body: new Float32Array(n * 3) },
    mask: new Float32Array(n),
    persons: 0,
    keypointsPerPerson: 60,
    keypoints: new Float32Array(0),
    visibility: new Float32Array(0),
    caption: "",
    categories: [],
  };
}

/** A folder of n one-clip shards of `size`, with an evaluation manifest of 2 clips when asked. */
async function folder(n: number, size: { frames: number; height: number; width: number }, manifest: boolean): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (let i = 0; i < n; i++) await writeClipShard(`${dir}/v${i}.safetensors`, [fakeClip(`v${i}`, 20 * i + 5, size)]);
  if (manifest) await Deno.writeTextFile(folderManifestPath(dir), JSON.stringify(await buildFolderEvalManifest(dir, { clips: 2 })));
  return dir;
}

Deno.test("a run refuses a folder of a size the model cannot take, an empty folder and one without an evaluation manifest, before any work", async () => {
  await initEngine({ backend: "cpu" });
  const [run] = resolveRuns("real_video_smoke", realVideoSmoke);
  const c = as(run.config, "animate");
  // The committed foundation, addressed from the repository root wherever the test runs.
  const model = { ...c.model, checkpoint: `${root}${c.model.checkpoint}` };
  const vae = { ...c.vae, checkpoint: `${root}${c.vae.checkpoint}` };
  const refuse = async (path: string, expected: RegExp, data: Partial<typeof c.data> = {}) => {
    const config = { ...c, model, vae, data: { ...c.data, ...data, source: { kind: "folder" as const, path } } };
    const dir = `${await Deno.makeTempDir()}/run`;
    await assert.rejects(runPipeline({ ...run, config }, runContext(dir, "t")), (e: Error) => {
      assert.ok(e instanceof ClipFolderError, `${e.name}: ${e.message}`);
      assert.match(e.message, expected);
      return true;
    });
    assert.equal(await exists(dir), false, "nothing written");
  };
  const unfit = await folder(6, { frames: 6, height: 30, width: 30 }, true);
  await refuse(
    unfit,
    new RegExp(
      `Cannot use clip folder ${unfit}: its clips are 6x30x30 \\(frames x height x width\\), a size the model cannot take: ` +
        `frames must be 4k\\+1 \\(the VAE's temporal stride 4\\), e\\.g\\. 5 or 9; height must be a multiple of 8 ` +
        `\\(the VAE's spatial stride 4 × the DiT's patch 2\\), e\\.g\\. 24 or 32; width must be a multiple of 8 .*; ingest the videos again`,
    ),
  );
  const other = await folder(6, { frames: 9, height: 32, width: 32 }, true);
  await refuse(other, /its clips are 9x32x32 .* but the run's data is 5x32x32: set data\.frames 9, data\.height 32, data\.width 32/);
  const empty = await Deno.makeTempDir();
  await refuse(empty, new RegExp(`Cannot use clip folder ${empty}: it holds no clip shards .*deno task data:ingest`));
  const bare = await folder(6, { frames: 5, height: 32, width: 32 }, false);
  await refuse(bare, new RegExp(`Cannot use clip folder ${bare}: it has no evaluation manifest ${bare}/eval_manifest\\.json; .*deno task data:eval-set --from ${bare} --clips N`));
  const small = await folder(4, { frames: 5, height: 32, width: 32 }, true);
  await refuse(small, /Cannot take 4 train clips from clip folder .*: it has 2 training clips .*; set data\.trainClips to at most 2/);
  for (const d of [unfit, other, empty, bare, small]) await Deno.remove(d, { recursive: true });
});

Deno.test("the sample task draws and the evaluator scores a foundation's samples of a folder's held-out clips; a folder of another size is refused first", async () => {
  await initEngine({});
  const foundation = `${root}${FOUNDATION}`;
  const sampler = { solver: "euler", steps: 2, shift: 1, guidance: { kind: "none" }, interval: null, init: null } as const;
  // The foundation draws 9x32x32 clips: a 5x32x32 folder cannot be sampled with it.
  const small = await folder(4, { frames: 5, height: 32, width: 32 }, true);
  const out = `${await Deno.makeTempDir()}/samples`;
  await assert.rejects(
    sampleFoundation(foundation, { sampler, seed: 0, clips: 2, strips: 0, out, source: { kind: "folder", path: small } }),
    /its clips are 5x32x32 .* but the foundation .*'s clip size is 9x32x32: ingest the videos again at 9x32x32/,
  );
  assert.equal(await exists(out), false, "nothing written");
  const clips = await folder(4, { frames: 9, height: 32, width: 32 }, true);
  const source = { kind: "folder" as const, path: clips };
  const set = await sampleFoundation(foundation, { sampler, seed: 0, clips: 2, strips: 1, out, source });
  assert.deepEqual(set.source, source);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(`${out}/sample_set.json`)).source, source);
  assert.ok(await exists(`${out}/eval-000.png`));
  const score = await scoreFoundation(out, { poseFrames: 1 });
  assert.equal(score.clips, 2);
  assert.ok(Number.isFinite(score.samples!.psnr) && Number.isFinite(score.reconstructions.fid_syn), JSON.stringify(score.samples));
  for (const d of [small, clips]) await Deno.remove(d, { recursive: true });
});
