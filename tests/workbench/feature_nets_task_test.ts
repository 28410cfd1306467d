import assert from "node:assert/strict";
import { initEngine } from "../../lib/engine/mod.ts";
import { readSafetensors } from "../../lib/io/safetensors.ts";
import { readJsonl } from "../../lib/train/mod.ts";
import { loadSynNetworks } from "../../lib/eval/syn/load_syn_networks.ts";
import { DEFAULT_FEATURE_NETS_DIR } from "../../lib/eval/syn/load_syn_networks.ts";
import { loadExperiment } from "../../lib/workbench/ablate_cli.ts";
import { type DeepPartial, defineExperiment, resolveRuns } from "../../lib/workbench/experiment.ts";
import type { FeatureNetsRunConfig } from "../../lib/workbench/run_config.ts";
import { RUN_DEFAULTS } from "../../lib/workbench/run_defaults.ts";
import { sameRunConfig } from "../../lib/workbench/run_folder.ts";
import { readJson, type RunStatus } from "../../lib/workbench/run_folder.ts";
import { runSweep } from "../../lib/workbench/run_sweep.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import { as, testEnv } from "./_fixtures.ts";

await initEngine({});

const env = testEnv();
const phase = { steps: 3, lr: 2e-3, weightDecay: 0.05, temperature: 0.1, headWeight: 0.5 };
/** A feature-nets run small enough for a test: 8 bank clips, 3 steps per encoder. */
const tiny = (over: DeepPartial<FeatureNetsRunConfig["featureNets"]> = {}) =>
  resolveRuns(
    "fn_tiny",
    defineExperiment({
      question: "tiny feature-nets run",
      recipe: "defaults",
      overrides: {
        task: "feature-nets",
        featureNets: {
          pool: 8,
          checkpointEvery: 2,
          sanityClips: 8,
          calibrationSizes: [{ frames: 5, height: 16, width: 16 }],
          ...over,
          image: { ...phase, clips: 4, ...over.image },
          video: { ...phase, clips: 2, ...over.video },
        },
      },
      axes: {},
    }),
  );
const quiet = { env, execute: runPipeline, log: () => {} };

async function weights(path: string): Promise<Record<string, number[]>> {
  const { tensors } = await readSafetensors(path);
  return Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, Array.from(t.data)]));
}

Deno.test("feature_nets experiment resolves to one feature-nets run at the committed networks' settings", async () => {
  const { runs } = await loadExperiment("feature_nets");
  assert.equal(runs.length, 1);
  assert.equal(runs[0].id, "0");
  const c = as(runs[0].config, "feature-nets");
  assert.equal(c.seed, 0);
  assert.equal(c.engine.threads, 1);
  assert.deepEqual(c.featureNets, RUN_DEFAULTS["feature-nets"].featureNets);
  assert.equal(c.featureNets.pool, 1536);
  assert.deepEqual([c.featureNets.image.steps, c.featureNets.image.clips], [600, 32]);
  assert.deepEqual([c.featureNets.video.steps, c.featureNets.video.clips], [500, 16]);
  // The committed run folder was written by this very config (a rerun finds it done).
  assert.ok(DEFAULT_FEATURE_NETS_DIR.endsWith("/results/feature_nets/0"));
  const recorded = await readJson<{ config: unknown }>(`${DEFAULT_FEATURE_NETS_DIR}/config.json`);
  if (recorded) assert.ok(sameRunConfig(recorded.config, c));
});

let firstDir = "";

Deno.test("a tiny feature-nets run writes both networks, the calibration and the run files; loadSynNetworks reads them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fn-task-" });
  const runs = tiny();
  const res = await runSweep("fn_tiny", runs, { dir, ...quiet });
  assert.deepEqual(res.states.map((s) => s.state), ["done"]);
  const run = `${dir}/0`;
  firstDir = run;
  for (const f of ["image-syn.safetensors", "video-syn.safetensors", "calibration.json", "config.json", "metrics.jsonl", "result.json", "status.json"]) {
    assert.ok((await Deno.stat(`${run}/${f}`)).isFile, f);
  }
  const cfg = await readJson<{ seed: number; backend: string; git_commit: string; config: FeatureNetsRunConfig }>(`${run}/config.json`);
  assert.equal(cfg?.config.featureNets.image.steps, 3);
  assert.equal(cfg?.git_commit, "abc");
  assert.equal((await readJson<RunStatus>(`${run}/status.json`))?.state, "done");

  const lines = ((await readJsonl(`${run}/metrics.jsonl`)) ?? []) as Record<string, number | string>[];
  assert.deepEqual(lines.map((l) => `${l.phase}:${l.step}`), ["image-syn:1", "image-syn:2", "image-syn:3", "video-syn:1", "video-syn:2", "video-syn:3"]);
  const result = (await readJson<Record<string, number>>(`${run}/result.json`))!;
  assert.equal(result.image_final_loss, lines[2].loss);
  assert.equal(result.video_final_loss, lines[5].loss);
  // Seeded tiny run: stored values (blas and cpu backends agree to ~1e-7).
  assert.ok(Math.abs(result.image_final_loss - 1.44930947) < 1e-4, String(result.image_final_loss));
  assert.ok(Math.abs(result.video_final_loss - 1.99430430) < 1e-4, String(result.video_final_loss));
  assert.equal(result.sanity_clips, 8);
  assert.ok(result.sanity_retrieval_frame >= 0 && result.sanity_retrieval_frame <= 1);
  assert.ok(result.image_train_s > 0 && result.video_train_s > 0 && result.wall_s > 0);
  assert.ok(Number.isFinite(result["calibration_5x16x16_threshold_scale"]));

  const nets = await loadSynNetworks(run);
  try {
    assert.equal(nets.image.name, "image-syn");
    assert.equal(nets.video.name, "video-syn");
    assert.equal(nets.metadata.image.steps, "3");
    assert.equal(nets.metadata.image.git_commit, "abc");
    assert.equal(nets.metadata.video.run, "fn_tiny/0");
    assert.deepEqual(Object.keys(nets.calibration?.sizes ?? {}), ["5x16x16"]);
  } finally {
    nets.dispose();
  }

  // A changed config is refused in the same folder.
  await assert.rejects(() => runSweep("fn_tiny", tiny({ pool: 9 }), { dir, ...quiet }), /holds a different config/);
});

Deno.test("an interrupted feature-nets run resumes from its checkpoints to the same weights", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fn-resume-" });
  // Same training as the previous test; the sanity figures and calibration do not touch the weights.
  const runs = tiny({ sanityClips: 0, calibrationSizes: [] });
  let calls = 0;
  // shouldStop is asked once per step: the 5th ask is video step 2 (image finished, video half-way).
  const first = await runSweep("fn_tiny", runs, { dir, ...quiet, shouldStop: () => ++calls === 5 });
  assert.equal(first.interrupted, true);
  assert.equal((await readJson<RunStatus>(`${dir}/0/status.json`))?.state, "interrupted");
  assert.ok((await Deno.stat(`${dir}/0/checkpoints/video-syn.safetensors`)).isFile);
  const second = await runSweep("fn_tiny", runs, { dir, ...quiet });
  assert.deepEqual(second.states.map((s) => s.state), ["done"]);
  const lines = ((await readJsonl(`${dir}/0/metrics.jsonl`)) ?? []) as Record<string, number | string>[];
  assert.deepEqual(lines.map((l) => `${l.phase}:${l.step}`), ["image-syn:1", "image-syn:2", "image-syn:3", "video-syn:1", "video-syn:2", "video-syn:3"]);
  assert.ok(firstDir, "runs after the uninterrupted test");
  for (const f of ["image-syn.safetensors", "video-syn.safetensors"]) {
    assert.deepEqual(await weights(`${dir}/0/${f}`), await weights(`${firstDir}/${f}`), f);
  }
  const result = (await readJson<Record<string, number>>(`${dir}/0/result.json`))!;
  assert.equal(result.video_final_loss, lines[5].loss);
  assert.ok(!("sanity_clips" in result) && !("calibration_s" in result));
  await assert.rejects(() => Deno.stat(`${dir}/0/calibration.json`), Deno.errors.NotFound);
  for (const d of [dir, firstDir.slice(0, -"/0".length)]) await Deno.remove(d, { recursive: true });
});

Deno.test("a bad featureNets value is refused when the experiment resolves, before any run folder exists", async () => {
  const dir = await Deno.makeTempDir({ prefix: "fn-bad-" });
  const bad: [DeepPartial<FeatureNetsRunConfig["featureNets"]>, RegExp][] = [
    [{ image: { lr: 0 } }, /featureNets\.image\.lr must be a number in \(0, 1\], received 0/],
    [{ video: { clips: 1 } }, /featureNets\.video\.clips must be an integer in \[2, 8\], received 1/],
    [{ image: { clips: 16 } }, /featureNets\.image\.clips must be an integer in \[2, 8\], received 16/],
    [{ video: { temperature: -0.1 } }, /featureNets\.video\.temperature must be a number in \(0, 10\], received -0\.1/],
    [{ sanityClips: 2 }, /featureNets\.sanityClips must be 0 \(no sanity figures\) or >= 4/],
    [{ checkpointEvery: 0 }, /featureNets\.checkpointEvery must be an integer in \[1, Infinity\], received 0/],
    [{ calibrationSizes: [{ frames: 5, height: 8, width: 16 }] }, /featureNets\.calibrationSizes\[0\]\.height must be an integer in \[16, 4096\], received 8/],
    [
      { calibrationSizes: [{ frames: 5, height: 16, width: 16 }, { frames: 5, height: 16, width: 16 }] },
      /featureNets\.calibrationSizes must not repeat a size, received 5x16x16, 5x16x16/,
    ],
  ];
  for (const [over, msg] of bad) {
    assert.throws(() => tiny(over), { name: "RangeError", message: msg });
  }
  assert.throws(
    () => resolveRuns("x", { question: "d", recipe: "defaults", overrides: { task: "feature-nets", featureNets: { imag: {} } } as never, axes: {} }),
    /unknown config key "featureNets.imag" \(did you mean "featureNets.image"\?\)/,
  );
  assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), []);
  await Deno.remove(dir);
});
