import assert from "node:assert/strict";
import { executeNotebook, outputBundles } from "./execute_notebook.ts";

Deno.test("05_dataset.ipynb executes and shows the category grid and clips with their three conditions", async () => {
  const nb = await executeNotebook("05_dataset.ipynb");
  const images = outputBundles(nb).filter((b) => "image/png" in b);
  assert.equal(images.length, 4);
  assert.match(String(images[0]["text/plain"]), /interaction, lighting, rare-pose, stylized, multi-character, camera-motion/);
});
