// deno-lint-ignore-file no-explicit-any -- the reports are loose JSON, read as the notebook reads them
/**
 * 07_long_video.ipynb executes in real Jupyter (Deno kernel) against the
 * committed animate:long reports (results/long_video/) and shows what it
 * promises: one table row per clip and overlap (K = 0 from the reports'
 * baseline) with the reports' own numbers, clip 0's strips with the seams
 * marked, and the seam-vs-within bar charts for K ∈ {0, 1, 2}.
 */
import assert from "node:assert/strict";
import { checkFigures, executeNotebook, outputBundles, streamText, tables } from "./execute_notebook.ts";
import { skipWhen } from "../_skip.ts";

const root = new URL("../../", import.meta.url).pathname;
const results = Deno.env.get("WORKBENCH_RESULTS") ?? `${root}results`;
const dir = `${results}/long_video`;
const present = await Deno.stat(dir).then(() => true, () => false);

Deno.test({
  name: "07_long_video.ipynb tables every report, marks the seams on clip 0's strips and draws seam vs within for K = 0, 1, 2",
  ignore: skipWhen(present ? null : `07_long_video.ipynb: no ${dir} (run deno task animate:long as the notebook says)`),
  fn: async () => {
    const reports: any[] = [];
    for await (const e of Deno.readDir(dir)) if (e.name.endsWith(".json")) reports.push(JSON.parse(await Deno.readTextFile(`${dir}/${e.name}`)));
    const clips = new Set(reports.map((r) => r.clip));
    const nb = await executeNotebook("07_long_video.ipynb", { WORKBENCH_RESULTS: results });
    checkFigures(nb, 2);
    const [table] = tables(nb);
    assert.equal(table.rows.length, reports.length + clips.size, "one row per report plus one K = 0 row per clip");
    const r = reports.find((x) => x.clip === 0 && x.overlap === 1);
    const row = table.rows.find((x) => x[0] === r.clip_id && x[1] === "1")!;
    assert.equal(row[4], r.overlapped.seam_flicker.toFixed(4));
    assert.equal(row[7], r.overlapped["within_feature_distance-syn"].toFixed(4));
    const strips = outputBundles(nb).filter((b) => "image/png" in b);
    assert.equal(strips.length, reports.filter((x) => x.clip === 0).length, "one strip per overlap of clip 0");
    assert.match(streamText(nb), /overlap K = 1 \(1 frames\): 4 segments starting at 0, 8, 16, 24/);
  },
});
