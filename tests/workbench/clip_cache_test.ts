/**
 * The clip cache (datasets/.cache/clips, here a temporary folder through the
 * root option or WORKBENCH_CLIP_CACHE): generated synthetic clips are stored
 * once per content and read back equal to the generator's; a corrupted entry
 * is detected and made again; two processes filling one key at once leave one
 * whole entry; a run whose folder was deleted reads its clips from the cache
 * and trains to identical losses and scores.
 */
import assert from "node:assert/strict";
import { initEngine } from "../../lib/engine/mod.ts";
import { resolveRuns } from "../../lib/workbench/mod.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import { cachedClips } from "../../lib/workbench/_clip_cache.ts";
import { type ClipSelection, makeClips } from "../../lib/workbench/_clips.ts";
import smoke from "../../experiments/smoke.ts";
import { as, runContext } from "./_fixtures.ts";

const SEL: ClipSelection = { set: "finetune", split: "val", count: 3, frames: 5, height: 16, width: 16 };

/** The generator's clips without their 3D ground truth (`meta`), which the cache does not keep. */
const generated = (sel: ClipSelection, skip = 0) =>
  makeClips(sel, skip).map((c) => {
    const { meta: _m, ...clip } = c as typeof c & { meta?: unknown };
    return clip;
  });

Deno.test("cachedClips makes clips on a miss, then reads back the generator's clips exactly on a hit", async () => {
  const root = await Deno.makeTempDir();
  const a = await cachedClips(SEL, 2, { root });
  assert.equal(a.use.status, "miss");
  assert.match(String(a.use.key), /^[0-9a-f]{64}$/);
  const b = await cachedClips(SEL, 2, { root });
  assert.equal(b.use.status, "hit");
  assert.equal(b.use.key, a.use.key);
  assert.deepEqual(b.clips, generated(SEL, 2));
  assert.deepEqual(b.clips.map((c) => c.id), ["finetune/134217730", "finetune/134217731", "finetune/134217732"]);
  // Another range, split or size is another key.
  const other = await cachedClips(SEL, 3, { root });
  assert.equal(other.use.status, "miss");
  assert.notEqual(other.use.key, a.use.key);
  assert.notEqual((await cachedClips({ ...SEL, height: 8, width: 8 }, 2, { root })).use.key, a.use.key);
  assert.equal((await cachedClips(SEL, 2, { root: "off" })).use.status, "off");
});

Deno.test("cachedClips detects a corrupted entry, says so, and makes the clips again", async () => {
  const root = await Deno.makeTempDir();
  const { use } = await cachedClips(SEL, 0, { root });
  const file = `${root}/${use.key}.safetensors`;
  const bytes = await Deno.readFile(file);
  bytes[bytes.length - 7] ^= 0x40; // one pixel level of the last clip's mask
  await Deno.writeFile(file, bytes);
  const notes: string[] = [];
  const error = console.error;
  console.error = (m: string) => notes.push(m);
  let again;
  try {
    again = await cachedClips(SEL, 0, { root });
  } finally {
    console.error = error;
  }
  assert.equal(again.use.status, "miss");
  assert.match(notes.join("\n"), /is corrupted \(its digest .* differs from the recorded/);
  assert.deepEqual(again.clips, generated(SEL));
  assert.equal((await cachedClips(SEL, 0, { root })).use.status, "hit");
  // A truncated file too.
  await Deno.writeFile(file, (await Deno.readFile(file)).subarray(0, 100));
  console.error = () => {};
  try {
    assert.equal((await cachedClips(SEL, 0, { root })).use.status, "miss");
  } finally {
    console.error = error;
  }
});

Deno.test("two processes filling the same clip-cache key at once leave one whole entry that reads as a hit", async () => {
  const root = await Deno.makeTempDir();
  const module = new URL("../../lib/workbench/_clip_cache.ts", import.meta.url).href;
  const script = `import { cachedClips } from ${JSON.stringify(module)};
const r = await cachedClips(${JSON.stringify(SEL)}, 0, { root: ${JSON.stringify(root)} });
console.log(JSON.stringify({ status: r.use.status, ids: r.clips.map((c) => c.id) }));`;
  const spawn = () =>
    new Deno.Command(Deno.execPath(), { args: ["eval", "--no-check", script], stdout: "piped", stderr: "piped" }).output();
  const outs = await Promise.all([spawn(), spawn()]);
  for (const o of outs) assert.equal(o.code, 0, new TextDecoder().decode(o.stderr));
  const results = outs.map((o) => JSON.parse(new TextDecoder().decode(o.stdout)));
  for (const r of results) assert.deepEqual(r.ids, generated(SEL).map((c) => c.id));
  // One entry, no temporary file left behind, and it is whole.
  assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name).filter((n) => !n.endsWith(".safetensors")), []);
  assert.equal([...Deno.readDirSync(root)].length, 1);
  const hit = await cachedClips(SEL, 0, { root });
  assert.equal(hit.use.status, "hit");
  assert.deepEqual(hit.clips, generated(SEL));
});

Deno.test("a run whose folder was deleted reads its clips from the clip cache and trains to identical losses and scores", async () => {
  await initEngine({});
  const root = await Deno.makeTempDir();
  const [run] = resolveRuns("smoke", smoke);
  const c = as(run.config, "pretrain");
  Object.assign(c.vae, { steps: 2 });
  Object.assign(c.train, { steps: 3, valEvery: 0 });
  Object.assign(c.data, { trainClips: 4, valClips: 2, evalClips: 2 });
  const losses = async (dir: string) =>
    (await Deno.readTextFile(`${dir}/metrics.jsonl`)).trim().split("\n").map((l) => JSON.parse(l))
      .filter((r) => typeof r.loss === "number").map((r) => [r.phase, r.loss]);
  Deno.env.set("WORKBENCH_CLIP_CACHE", `${root}/cache`);
  try {
    const a = await runPipeline(run, runContext(`${root}/run`, "a"));
    assert.equal(a.metrics.clip_cache, "miss");
    const lossesA = await losses(`${root}/run`);
    assert.ok(lossesA.length > 0);
    await Deno.remove(`${root}/run`, { recursive: true });
    const b = await runPipeline(run, runContext(`${root}/run`, "b"));
    assert.equal(b.metrics.clip_cache, "hit");
    assert.deepEqual(await losses(`${root}/run`), lossesA);
    for (const k of ["final_loss", "final_val_loss", "psnr", "ssim", "vae_recon_psnr"]) assert.equal(b.metrics[k], a.metrics[k], k);
    Deno.env.set("WORKBENCH_CLIP_CACHE", "off");
    const c = await runPipeline(run, runContext(`${root}/off`, "c"));
    assert.equal(c.metrics.clip_cache, "off");
    assert.equal(c.metrics.final_loss, a.metrics.final_loss);
  } finally {
    Deno.env.delete("WORKBENCH_CLIP_CACHE");
  }
});
