/**
 * Re-executes the result notebooks in place against the committed results
 * (real Jupyter, Deno kernel), so the executed copies with outputs can be
 * committed: opening a notebook then shows the results without running it.
 *
 *   deno run -A tests/notebooks/execute_results_notebooks.ts            # 01–04 and 06–08
 *   deno run -A tests/notebooks/execute_results_notebooks.ts 02_timestep_warmup.ipynb
 *
 * WORKBENCH_RESULTS (default: the repository's results/) is passed to the
 * kernel; a notebook that fails to execute is left unchanged and the script
 * exits non-zero naming it. Like the test runner, it first installs Jupyter
 * and the Deno kernelspec where they are missing (a fresh machine has
 * neither).
 */
import { ensureJupyter, SetupError } from "../../lib/io/mod.ts";
import { executeNotebook } from "./execute_notebook.ts";

const root = new URL("../../", import.meta.url).pathname;
const DEFAULT = ["01_model_design.ipynb", "02_timestep_warmup.ipynb", "03_batch_iterations.ipynb", "04_benchmark_tables.ipynb", "06_foundations.ipynb", "07_long_video.ipynb", "08_finetune_scale.ipynb"];
const names = Deno.args.length ? Deno.args : DEFAULT;
const env: Record<string, string> = {};
const results = Deno.env.get("WORKBENCH_RESULTS");
if (results) env.WORKBENCH_RESULTS = results;
try {
  console.log(`setup: ${await ensureJupyter()}`);
} catch (e) {
  if (!(e instanceof SetupError)) throw e;
  console.error(e.message);
  Deno.exit(1);
}
let failed = 0;
for (const name of names) {
  const t0 = performance.now();
  try {
    const nb = await executeNotebook(name, env);
    // Keep the source notebook's cells and metadata; take the executed outputs.
    await Deno.writeTextFile(`${root}notebooks/${name}`, JSON.stringify(nb, null, 1) + "\n");
    console.log(`${name}: executed in ${((performance.now() - t0) / 1000).toFixed(1)} s, written in place`);
  } catch (e) {
    failed++;
    console.error(`${name}: FAILED, left unchanged\n${(e as Error).message}`);
  }
}
if (failed) Deno.exit(1);
