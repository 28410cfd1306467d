import assert from "node:assert/strict";
import { bandFigure, barFigure, heatmapFigure, imageBundle } from "../../lib/report/mod.ts";
import { decodePng } from "../../lib/io/png.ts";

Deno.test("bandFigure() draws per series an upper edge, a filled lower edge and the mean, in Plotly and SVG", () => {
  const fig = bandFigure([
    { name: "uniform", x: [0, 1, 2], mean: [1, 0.5, 0.4], lo: [0.9, 0.4, null], hi: [1.1, 0.6, null] },
    { name: "low", x: [0, 1], mean: [1, 0.3], lo: [1, 0.2], hi: [1, 0.4] },
  ], { title: "val" });
  assert.equal(fig.plotly.data.length, 6);
  assert.equal(fig.plotly.data[1].fill, "tonexty");
  assert.deepEqual(fig.plotly.data[0].y, [1.1, 0.6]); // the band skips points without spread
  assert.deepEqual(fig.plotly.data[2].y, [1, 0.5, 0.4]);
  assert.equal(fig.svg.match(/<polygon/g)?.length, 2);
  assert.ok(fig.svg.startsWith("<svg") && fig.svg.endsWith("</svg>"));
  assert.throws(() => bandFigure([{ name: "x", x: [0], mean: [], lo: [], hi: [] }]), /one length: received 1, 0, 0, 0/);
});

Deno.test("heatmapFigure() writes each value in its cell and marks missing cells n/a", () => {
  const fig = heatmapFigure({ x: ["100", "200"], y: ["8", "16"], z: [[1, 0.8], [0.9, null]] }, { title: "val loss", reverse: true });
  const trace = fig.plotly.data[0] as { type: string; z: unknown; text: string[][] };
  assert.equal(trace.type, "heatmap");
  assert.deepEqual(trace.text, [["1", "0.8"], ["0.9", "n/a"]]);
  assert.equal(fig.svg.match(/<rect x="[0-9.]+" y="[0-9.]+" width="71"/g)?.length, 4); // 72-px cells with a 1-px gap
  for (const t of [">1<", ">0.8<", ">0.9<", ">n/a<"]) assert.ok(fig.svg.includes(t), t);
  assert.throws(() => heatmapFigure({ x: ["a"], y: ["b"], z: [[1, 2]] }), /must be 1×1 \(y × x\): received 1×2/);
});

Deno.test("barFigure() groups bars with error bars and leaves missing values out", () => {
  const fig = barFigure(["light", "full"], [{ name: "FID-syn", y: [31, null], err: [2, null] }, { name: "FVD-syn", y: [600, 500] }]);
  assert.equal(fig.plotly.data.length, 2);
  assert.deepEqual(fig.plotly.data[0].y, [31, null]);
  assert.deepEqual((fig.plotly.data[0].error_y as { array: number[] }).array, [2, 0]);
  assert.equal(fig.svg.match(/<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height/g)?.length, 3 + 2); // 3 bars + 2 legend keys
  assert.ok(fig.svg.includes(">n/a<"));
  assert.throws(() => barFigure(["a"], [{ name: "m", y: [1, 2] }]), /one value per category \(1\): received 2/);
});

Deno.test("imageBundle() encodes an image as base64 PNG that decodes back", async () => {
  const img = { width: 2, height: 1, channels: 3 as const, data: new Uint8Array([255, 0, 0, 0, 0, 255]) };
  const b = await imageBundle(img, "two pixels");
  assert.equal(b["text/plain"], "two pixels");
  const bytes = Uint8Array.from(atob(b["image/png"]), (c) => c.charCodeAt(0));
  const back = await decodePng(bytes);
  assert.deepEqual(Array.from(back.data), [255, 0, 0, 0, 0, 255]);
});

Deno.test("imageBundle() enlarges an image by an integer factor, nearest neighbour", async () => {
  const img = { width: 2, height: 1, channels: 3 as const, data: new Uint8Array([255, 0, 0, 0, 0, 255]) };
  const b = await imageBundle(img, "x", { scale: 2 });
  const back = await decodePng(Uint8Array.from(atob(b["image/png"]), (c) => c.charCodeAt(0)));
  assert.deepEqual([back.width, back.height], [4, 2]);
  assert.deepEqual(Array.from(back.data.subarray(0, 12)), [255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255]);
  await assert.rejects(() => imageBundle(img, "x", { scale: 1.5 }), /integer >= 1: received 1.5/);
});
