/**
 * 08_finetune_scale.ipynb executes in real Jupyter (Deno kernel) against the
 * committed finetune_scale* runs and issue-28 probes, and shows what it
 * promises: one table row per kept step of every finished run and every
 * rescoring plus each one's VAE-reconstruction row, with the runs' own numbers
 * and verdicts, the two learning-curve figures, the condition-use table, and
 * strips at every kept step of each seed-0 run.
 */
import assert from "node:assert/strict";
import { keptStepCurves, loadSweep } from "../../lib/report/mod.ts";
import { checkFigures, executeNotebook, outputBundles, tables } from "./execute_notebook.ts";
import { skipWhen } from "../_skip.ts";

const root = new URL("../../", import.meta.url).pathname;
const results = Deno.env.get("WORKBENCH_RESULTS") ?? `${root}results`;
const exists = (p: string) => Deno.stat(p).then(() => true, () => false);
const present = await exists(`${results}/finetune_scale`);
type Cfg = { model: { design: string }; seed: number; sample: { guidance: number } };

Deno.test({
  name: "08_finetune_scale.ipynb tables every kept step against the reconstruction, draws the curves and shows the strips",
  ignore: skipWhen(present ? null : `08_finetune_scale.ipynb: no ${results}/finetune_scale (deno task ablate finetune_scale)`),
  fn: async () => {
    const expected: { label: string; result: Record<string, unknown>; strips: boolean }[] = [];
    for (const exp of ["finetune_scale", "finetune_scale_seeds", "finetune_scale_frame_shift", "finetune_scale_frame_shift_seeds", "finetune_scale_aligned_long"]) {
      if (!(await exists(`${results}/${exp}`))) continue;
      for (const r of (await loadSweep(`${results}/${exp}`)).runs) {
        if (r.status?.state !== "done" || !r.result) continue;
        const c = r.config.config as Cfg;
        expected.push({ label: `${exp} · ${c.model.design} seed ${c.seed}, CFG ${c.sample.guidance}`, result: r.result, strips: c.seed === 0 });
      }
    }
    const rescores = `${results}/probes/rescore`;
    for await (const e of (await exists(rescores)) ? Deno.readDir(rescores) : []) {
      const r = JSON.parse(await Deno.readTextFile(`${rescores}/${e.name}/result.json`));
      const c = JSON.parse(await Deno.readTextFile(`${results}/${String(r.run).replace(/^results\//, "")}/config.json`)).config as Cfg;
      expected.push({ label: `${String(r.run).split("/").at(-2)} · ${c.model.design} seed ${c.seed}, CFG ${r.guidance} (rescored)`, result: r, strips: false });
    }
    const nb = await executeNotebook("08_finetune_scale.ipynb", { WORKBENCH_RESULTS: results });
    checkFigures(nb, 2);
    const [steps, uses] = tables(nb);
    const col = (h: string) => steps.head.indexOf(h);
    const curves = expected.map((x) => keptStepCurves(x.result));
    assert.equal(steps.rows.length, curves.reduce((a, c) => a + c.rows.length + 1, 0), "a row per kept step and one reconstruction row per run");
    for (const [i, c] of curves.entries()) {
      const mine = steps.rows.filter((row) => row[col("run")] === expected[i].label);
      assert.equal(mine.length, c.rows.length + 1, `rows of ${expected[i].label}`);
      for (const k of c.rows) {
        const row = mine.find((x) => x[col("step")] === String(k.step))!;
        assert.equal(row[col("bg PSNR")], k.scores.bg_psnr!.toFixed(2));
        assert.equal(row[col("animates")], k.animates ? "yes" : "no");
      }
    }
    assert.ok(uses.rows.length > 0, "the condition-use table has rows");
    const strips = outputBundles(nb).filter((b) => "image/png" in b);
    const wanted = expected.reduce((a, x, i) => a + (x.strips ? 2 * curves[i].rows.length : 0), 0);
    assert.equal(strips.length, wanted, "two strips per kept step of each seed-0 run");
  },
});
