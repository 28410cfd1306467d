import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { initEngine } from "../../../lib/engine/mod.ts";
import { writeSafetensors } from "../../../lib/io/safetensors.ts";
import { main } from "../../../lib/eval/cli/evaluate_cli.ts";
import { syntheticClip } from "../../../datasets/synthetic/mod.ts";
import { tinyCalibration, writeTinyNets } from "./_tiny_nets.ts";

await initEngine({ backend: "cpu" });

/** The columns the paper's two tables need, exactly. */
const COLUMNS = [
  "I2V Subject-syn",
  "I2V Background-syn",
  "Subject Consistency-syn",
  "Background Consistency-syn",
  "Temporal Flickering",
  "Motion Smoothness-classical",
  "Dynamic Degree-classical",
  "Aesthetic Quality",
  "FVD-syn",
  "FID-syn",
  "SSIM",
  "PSNR",
  "LPIPS-syn",
];

/** A run folder as the pipeline writes it: evaluation clips 0..n−1 at F×16×16; generated = ground truth + `noise`. */
async function fakeRun(dir: string, options: { n: number; frames: number; noise: number }): Promise<string[]> {
  const { n, frames, noise } = options;
  const clips = Array.from(
    { length: n },
    (_, i) => syntheticClip("realisdance-val-syn", i, { frames, height: 16, width: 16 }),
  );
  const per = frames * 16 * 16;
  const ref = new Float32Array(n * per * 3), mask = new Float32Array(n * per);
  clips.forEach((c, i) => {
    ref.set(c.video, i * per * 3);
    mask.set(c.mask, i * per);
  });
  const gen = ref.map((x, i) => Math.min(1, Math.max(0, x + noise * Math.sin(i * 7.13))));
  const shape = [n, frames, 16, 16, 3];
  await Deno.mkdir(`${dir}/samples`, { recursive: true });
  await writeSafetensors(`${dir}/samples/generated.safetensors`, { video: { shape, data: gen } });
  await writeSafetensors(`${dir}/samples/reference.safetensors`, { video: { shape, data: ref } });
  await writeSafetensors(`${dir}/samples/masks.safetensors`, { mask: { shape: shape.slice(0, 4), data: mask } });
  await Deno.writeTextFile(`${dir}/samples/eval_ids.json`, JSON.stringify(clips.map((c) => c.id)));
  return clips.map((c) => c.id);
}

Deno.test("evaluate CLI writes eval.json with exactly the paper's columns for a run folder, using the stored calibration", async () => {
  const run = await Deno.makeTempDir({ prefix: "run-" });
  const ids = await fakeRun(run, { n: 3, frames: 9, noise: 0 });
  const perClip = Object.fromEntries(ids.map((id, i) => [id, 0.9 + 0.01 * i]));
  // A threshold no flow reaches: the ground truth moves, yet Dynamic Degree-classical must come out 0 — from the file.
  const nets = await writeTinyNets(tinyCalibration({ frames: 9, height: 16, width: 16 }, 1000, perClip));
  const out = await main([run, "--nets", nets, "--json", "--backend", "cpu"]);
  const evalJson = JSON.parse(await Deno.readTextFile(`${run}/eval.json`));
  assert.deepEqual(Object.keys(evalJson).sort(), [...COLUMNS].sort());
  assert.deepEqual(Object.keys(Object.values(out)[0]).sort(), [...COLUMNS].sort());
  assert.equal(evalJson["Aesthetic Quality"], null);
  assert.equal(evalJson.PSNR, Infinity); // written as 1e999
  assert.equal(evalJson.SSIM, 1);
  assert.equal(evalJson["LPIPS-syn"], 0);
  assert.ok(Math.abs(evalJson["FID-syn"]) < 1e-6 && Math.abs(evalJson["FVD-syn"]) < 1e-6);
  assert.equal(evalJson["Dynamic Degree-classical"], 0);
  for (const c of ["I2V Subject-syn", "I2V Background-syn", "Subject Consistency-syn", "Background Consistency-syn"]) {
    assert.ok(evalJson[c] > 0 && evalJson[c] <= 1 + 1e-9, `${c} = ${evalJson[c]}`);
  }
  const info = JSON.parse(await Deno.readTextFile(`${run}/eval_info.json`));
  assert.equal(info.classical.thresholdScale, 1000);
  assert.equal(info.classical.dynamicDegreeCalibration, "9x16x16");
  assert.equal(info.classical.motionSmoothnessGtSource, "calibration");
  assert.ok(Math.abs(info.classical.motionSmoothnessGt - 0.91) < 1e-12);
  assert.ok(Math.abs(evalJson["Motion Smoothness-classical"] - info.classical.motionSmoothnessRaw / 0.91) < 1e-12);
  assert.equal(info.networks.image.name, "tiny-image-syn");
});

Deno.test("evaluate CLI on a sweep folder writes eval.parquet (one row per run) and n/a where a column cannot be computed", async () => {
  const sweep = await Deno.makeTempDir({ prefix: "sweep-" });
  await fakeRun(`${sweep}/0-a`, { n: 3, frames: 9, noise: 0 });
  await fakeRun(`${sweep}/1-b`, { n: 3, frames: 9, noise: 0.2 });
  await fakeRun(`${sweep}/2-c`, { n: 2, frames: 5, noise: 0.1 });
  await Deno.mkdir(`${sweep}/not-a-run`);
  const nets = await writeTinyNets(tinyCalibration({ frames: 9, height: 16, width: 16 }, 6));
  const out = await main([sweep, "--nets", nets, "--backend", "cpu"]);
  assert.deepEqual(Object.keys(out), ["0-a", "1-b", "2-c"]);
  const df = pl.readParquet(`${sweep}/eval.parquet`);
  assert.equal(df.height, 3);
  assert.deepEqual(df.columns, ["run", ...COLUMNS]);
  assert.deepEqual(df.getColumn("run").toArray(), ["0-a", "1-b", "2-c"]);
  const fid = df.getColumn("FID-syn").toArray() as number[];
  assert.ok(fid[1] > fid[0], `a degraded run has a larger FID-syn: ${fid}`);
  assert.deepEqual(df.getColumn("Aesthetic Quality").toArray(), [null, null, null]);
  // 5-frame videos: FVD-syn is n/a (the video network takes 9 frames), noted in eval_info.json.
  assert.equal(out["2-c"]["FVD-syn"], null);
  const info = JSON.parse(await Deno.readTextFile(`${sweep}/2-c/eval_info.json`));
  assert.ok(info.notes.some((n: string) => n.startsWith("FVD-syn: n/a")));
  assert.equal(info.classical.motionSmoothnessGtSource, "reference");
  await assert.rejects(() => main([`${sweep}/not-a-run`, "--nets", nets]), {
    name: "TypeError",
    message: /neither it nor any sub-folder holds samples\/generated.safetensors/,
  });
});
