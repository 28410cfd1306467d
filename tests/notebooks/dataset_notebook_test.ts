import assert from "node:assert/strict";
import { executeNotebook, outputBundles } from "./execute_notebook.ts";

Deno.test("05_dataset.ipynb executes and shows the category grid, clips with their three conditions, and an ingested folder's clips and report", async () => {
  const nb = await executeNotebook("05_dataset.ipynb");
  const bundles = outputBundles(nb);
  const images = bundles.filter((b) => "image/png" in b);
  assert.equal(images.length, 6);
  assert.match(String(images[0]["text/plain"]), /interaction, lighting, rare-pose, stylized, multi-character, camera-motion/);
  assert.match(String(images[4]["text/plain"]), /^clip-000 \(ingested\): /);
  // The ingested folder's ingest.json as a table: two videos kept, the empty room dropped.
  const table = bundles.find((b) => "text/html" in b && /empty-room\.mp4/.test(String(b["text/html"])));
  assert.ok(table, "no table of ingest.json");
  assert.match(String(table["text/html"]), /dropped: no person found/);
  assert.match(String(table["text/html"]), /captions\.jsonl/);
});
