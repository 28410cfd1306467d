import assert from "node:assert/strict";
import { chromiumPage, lineFigure, shareNotebook } from "../../lib/report/mod.ts";
import { figureBundle } from "../../lib/report/display_figure.ts";

Deno.test("shareNotebook() writes a self-contained HTML whose Plotly figures render in headless Chromium", async () => {
  const dir = await Deno.makeTempDir();
  const fig = lineFigure([{ name: "loss", x: [0, 1, 2, 3], y: [1, 0.6, 0.4, 0.3] }], { title: "loss curve" });
  const nb = {
    cells: [
      { cell_type: "markdown", metadata: {}, source: ["# shared"] },
      {
        cell_type: "code", metadata: {}, execution_count: 1, source: ["plot"],
        outputs: [{ output_type: "display_data", metadata: {}, data: figureBundle(fig, "loss") }],
      },
    ],
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  await Deno.writeTextFile(`${dir}/t.ipynb`, JSON.stringify(nb));
  const html = await shareNotebook(`${dir}/t.ipynb`);
  assert.equal(html, `${dir}/t.html`);
  const text = await Deno.readTextFile(html);
  assert.ok(text.includes("Plotly.newPlot("), "figure script missing");
  assert.ok(text.length > 3_000_000, "plotly.js not inlined");
  const shot = `${dir}/shot.png`;
  const dom = await chromiumPage(html, { screenshot: shot, height: 900 });
  assert.match(dom, /class="main-svg"/, "Plotly drew no SVG");
  assert.match(dom, /loss curve/);
  const png = await Deno.readFile(shot);
  assert.deepEqual(Array.from(png.subarray(1, 4)), [80, 78, 71]); // "PNG"
});
