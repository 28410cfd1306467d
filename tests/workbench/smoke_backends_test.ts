/**
 * Every backend runs the whole smoke pipeline (data → VAE → DiT → flow
 * matching → sampling → metrics), the smoke experiment shrunk to a few steps:
 * on cpu, and on wasm, whose missing kernels (Conv2DBackpropFilter…) run as
 * the cpu backend's kernels. `deno task ablate smoke --backend cpu|wasm` runs
 * this same pipeline at full size.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { resolveRuns } from "../../lib/workbench/mod.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import smoke from "../../experiments/smoke.ts";
import { as, runContext } from "./_fixtures.ts";

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`the smoke experiment trains, samples and scores end to end on ${backend} (a few steps)`, async () => {
    const engine = await initEngine({ backend });
    assert.equal(engine.backend, backend);
    const [run] = resolveRuns("smoke", smoke);
    const c = as(run.config, "pretrain");
    c.engine.backend = backend;
    Object.assign(c.data, { trainClips: 4, valClips: 2, evalClips: 2 });
    Object.assign(c.vae, { steps: 2, microBatch: 2 });
    Object.assign(c.train, { steps: 2, microBatch: 2, checkpointEvery: 2, valEvery: 2 });
    Object.assign(c.sample, { steps: 2 });
    const dir = await Deno.makeTempDir({ prefix: `smoke-${backend}-` });
    try {
      const before = tf.memory().numTensors;
      const out = await runPipeline(run, runContext(dir, `${backend} smoke`, "smoke"));
      assert.equal(out.interrupted, false);
      assert.equal(tf.backend() === tf.engine().findBackend(backend), true, "still on the backend asked for");
      for (const k of ["final_loss", "psnr", "ssim"]) {
        assert.ok(Number.isFinite(out.metrics[k] as number), `${k} = ${out.metrics[k]} on ${backend}`);
      }
      assert.equal(tf.memory().numTensors, before, "tensors left behind");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
