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
import { designLabel, migrateRunConfig } from "../../lib/workbench/mod.ts";

const root = new URL("../../", import.meta.url).pathname;
const results = Deno.env.get("WORKBENCH_RESULTS") ?? `${root}results`;
const exists = (p: string) => Deno.stat(p).then(() => true, () => false);
const present = await exists(`${results}/finetune_scale`);
/** The notebook's labels, computed independently: recorded config of either shape → design preset, seed, CFG (1: none). */
const describe = (recorded: unknown) => {
  const c = migrateRunConfig(recorded);
  if (c.task !== "animate") throw new TypeError(`expected an animate run, received task "${c.task}"`);
  const g = c.sample.guidance;
  return { design: designLabel(c.model.design), seed: c.seed, cfg: g.kind === "cfg" ? g.scale : 1, steps: c.sample.steps, shift: c.diffusion.shift };
};

Deno.test({
  name: "08_finetune_scale.ipynb tables every kept step against the reconstruction, draws the curves and shows the strips",
  ignore: skipWhen(present ? null : `08_finetune_scale.ipynb: no ${results}/finetune_scale (deno task ablate finetune_scale)`),
  fn: async () => {
    const expected: { label: string; result: Record<string, unknown>; strips: boolean }[] = [];
    for (const exp of ["finetune_scale", "finetune_scale_seeds", "finetune_scale_frame_shift", "finetune_scale_frame_shift_seeds", "finetune_scale_aligned_long", "finetune_scale_aligned_ema", "finetune_scale_aligned_9600", "finetune_scale_aligned_19200", "finetune_scale_aligned_lr", "finetune_scale_aligned_full"]) {
      if (!(await exists(`${results}/${exp}`))) continue;
      for (const r of (await loadSweep(`${results}/${exp}`)).runs) {
        if (r.status?.state !== "done" || !r.result) continue;
        const c = describe(r.config.config);
        expected.push({ label: `${exp} · ${c.design} seed ${c.seed}, CFG ${c.cfg}`, result: r.result, strips: c.seed === 0 });
      }
    }
    const rescores = `${results}/probes/rescore`;
    for await (const e of (await exists(rescores)) ? Deno.readDir(rescores) : []) {
      const r = JSON.parse(await Deno.readTextFile(`${rescores}/${e.name}/result.json`));
      const c = describe(JSON.parse(await Deno.readTextFile(`${results}/${String(r.run).replace(/^results\//, "")}/config.json`)).config);
      const how = [r.sample_steps !== undefined && r.sample_steps !== c.steps && `${r.sample_steps} sampler steps`,
        r.sample_shift !== undefined && r.sample_shift !== c.shift && `sampling shift ${r.sample_shift}`,
        r.noise_seed !== undefined && r.noise_seed !== c.seed && `seed ${r.noise_seed}'s noise`,
        r.split === "train" && "16 of its training clips"].filter(Boolean);
      expected.push({ label: `${String(r.run).split("/").at(-2)} · ${c.design} seed ${c.seed}, CFG ${r.guidance}${how.map((x) => `, ${x}`).join("")} (rescored)`, result: r, strips: false });
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
