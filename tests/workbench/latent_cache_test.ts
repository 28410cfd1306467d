/**
 * The animate task's latent cache (datasets/.cache/latents, here a temporary
 * folder through WORKBENCH_LATENT_CACHE): a second run on the same foundation
 * and corpus encodes nothing and trains to identical losses; a deleted or
 * corrupted cache is recomputed; a VAE trained by the run is never cached.
 */
import assert from "node:assert/strict";
import { initEngine } from "../../lib/engine/mod.ts";
import { presetDesign, resolveRuns } from "../../lib/workbench/mod.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import modelDesign from "../../experiments/model_design.ts";
import { as, runContext } from "./_fixtures.ts";
import { trainTinyFoundation } from "./_tiny_foundation.ts";

await initEngine({});

/** A tiny foundation trained here, and an animate run config on it. */
async function setUp() {
  const root = await Deno.makeTempDir();
  await trainTinyFoundation(`${root}/foundation`, { steps: 2, trainClips: 4 });
  const part = JSON.stringify(presetDesign("part-finetune"));
  const run = resolveRuns("model_design", modelDesign).find((r) => JSON.stringify(as(r.config, "animate").model.design) === part)!;
  const c = as(structuredClone(run.config), "animate");
  Object.assign(c.data, { frames: 5, height: 32, width: 32, trainClips: 4, valClips: 2, evalClips: 2 });
  Object.assign(c.vae, { checkpoint: `${root}/foundation/vae` });
  Object.assign(c.model, { preset: "wan-toy", checkpoint: `${root}/foundation/dit`, memoryBudget: null });
  Object.assign(c.train, { steps: 3, microBatch: 2, schedule: { kind: "constant", warmupSteps: 1 }, checkpointEvery: 3, valEvery: 0 });
  Object.assign(c.sample, { steps: 2 });
  return { root, run: { ...run, config: c } };
}

const losses = async (dir: string) =>
  (await Deno.readTextFile(`${dir}/metrics.jsonl`)).trim().split("\n").map((l) => JSON.parse(l))
    .filter((r) => r.phase === "dit" && typeof r.loss === "number").map((r) => r.loss);

Deno.test("a second animate run on the same foundation and corpus hits the latent cache and trains to identical losses", async () => {
  const { root, run } = await setUp();
  const cache = `${root}/cache`;
  Deno.env.set("WORKBENCH_LATENT_CACHE", cache);
  try {
    const a = await runPipeline(run, runContext(`${root}/a`, "a"));
    assert.equal(a.metrics.latent_cache, "miss");
    assert.match(String(a.metrics.latent_cache_key), /^[0-9a-f]{64}$/);
    // train, val and eval splits: one entry each.
    assert.equal([...Deno.readDirSync(cache)].length, 3);
    const b = await runPipeline(run, runContext(`${root}/b`, "b"));
    assert.equal(b.metrics.latent_cache, "hit");
    assert.equal(b.metrics.latent_cache_key, a.metrics.latent_cache_key);
    assert.deepEqual(await losses(`${root}/b`), await losses(`${root}/a`));
    assert.equal(b.metrics.psnr, a.metrics.psnr);
    // Deleted: recomputed (a miss), the same losses again.
    await Deno.remove(cache, { recursive: true });
    const c = await runPipeline(run, runContext(`${root}/c`, "c"));
    assert.equal(c.metrics.latent_cache, "miss");
    assert.deepEqual(await losses(`${root}/c`), await losses(`${root}/a`));
    // Corrupted: detected, recomputed, the run unchanged.
    const file = `${cache}/${a.metrics.latent_cache_key}.safetensors`;
    const bytes = await Deno.readFile(file);
    bytes[bytes.length - 1] ^= 0x01;
    await Deno.writeFile(file, bytes);
    const d = await runPipeline(run, runContext(`${root}/d`, "d"));
    assert.equal(d.metrics.latent_cache, "partial", "the train split recomputed, val and eval hit");
    assert.deepEqual(await losses(`${root}/d`), await losses(`${root}/a`));
    // Another pose list is another key.
    const e = await runPipeline(
      { ...run, config: { ...run.config, model: { ...run.config.model, design: { ...run.config.model.design, poses: ["skeleton"] } } } },
      runContext(`${root}/e`, "e"),
    );
    assert.equal(e.metrics.latent_cache, "miss");
    assert.notEqual(e.metrics.latent_cache_key, a.metrics.latent_cache_key);
    // Switched off: nothing read or written.
    Deno.env.set("WORKBENCH_LATENT_CACHE", "off");
    const f = await runPipeline(run, runContext(`${root}/f`, "f"));
    assert.equal(f.metrics.latent_cache, "off");
    assert.equal(f.metrics.latent_cache_key, undefined);
  } finally {
    Deno.env.delete("WORKBENCH_LATENT_CACHE");
  }
});
