/**
 * 06_foundations.ipynb executes in real Jupyter (Deno kernel) against the
 * committed foundation runs and shows what it promises: one table row per
 * foundation with the numbers of its result.json, the adopted one marked as
 * experiments/_foundation.ts names it, validation curves on one axis of total
 * DiT steps (a continued run drawn from where its source ended), and one
 * stacked sample image per evaluation clip. With only some runs present it
 * lists the missing ones and still draws the rest; a strip of another frame
 * size is left out of the stack and named, not stacked into a broken image.
 */
import assert from "node:assert/strict";
import { FOUNDATION } from "../../experiments/_foundation.ts";
import { encodePng } from "../../lib/io/png.ts";
import { checkFigures, executeNotebook, outputBundles, streamText, tables } from "./execute_notebook.ts";

const root = new URL("../../", import.meta.url).pathname;
const FOUNDATIONS = ["pretrain", "pretrain_dit", "pretrain_dit_16k", "pretrain_dit_16k_long", "pretrain_dit_small"];
const fmt = (v: number) => Number(v.toPrecision(4)).toString();
const readJson = async (p: string) => JSON.parse(await Deno.readTextFile(p));

Deno.test("06_foundations.ipynb compares the committed foundations: table from result.json, adopted row, curves on total steps, stacked samples", async () => {
  const nb = await executeNotebook("06_foundations.ipynb");
  const plots = checkFigures(nb, 2);
  const [table] = tables(nb);
  assert.deepEqual(table.rows.map((r) => r[0]), FOUNDATIONS.map((e) => `${e}/0`));
  const col = (name: string) => table.head.indexOf(name);
  for (const [i, e] of FOUNDATIONS.entries()) {
    const result = await readJson(`${root}results/${e}/0/result.json`);
    const row = table.rows[i];
    assert.equal(row[col("val_loss")], fmt(result.final_val_loss), `${e} val_loss`);
    assert.equal(row[col("DiT steps")], String(result.steps), `${e} steps`);
    assert.equal(row[col("DiT params")], String(result.dit_params), `${e} DiT params`);
    assert.equal(row[col("adopted")], `results/${e}/0` === FOUNDATION ? "yes" : "", `${e} adopted`);
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

  // One image per evaluation clip: ground truth and each foundation's sample, 2× (6 rows of 32 px + 5 gaps).
  const ids: string[] = await readJson(`${root}results/pretrain/0/samples/eval_ids.json`);
  const images = outputBundles(nb).filter((b) => "image/png" in b);
  assert.equal(images.length, ids.length);
  for (const [i, b] of images.entries()) assert.ok(String(b["text/plain"]).startsWith(`${ids[i]}: ground truth, then pretrain/0,`));
  const png = Uint8Array.from(atob(String(images[0]["image/png"])), (c) => c.charCodeAt(0));
  const height = new DataView(png.buffer).getUint32(20);
  assert.equal(height, 2 * (6 * 32 + 5));
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
  const plots = checkFigures(nb, 2);
  const first = outputBundles(nb).map((b) => String(b["text/plain"] ?? "")).find((t) => t.includes("foundations loaded"))!;
  assert.match(first, /2 foundations loaded \(pretrain\/0, pretrain_dit_16k_long\/0\).*missing: pretrain_dit, pretrain_dit_16k, pretrain_dit_small"/);
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
