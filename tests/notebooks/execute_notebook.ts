/**
 * Executes a notebook in real Jupyter with the Deno kernel
 * (`jupyter nbconvert --execute`), returning the executed notebook.
 */
const root = new URL("../../", import.meta.url).pathname;

/** The parts of an executed notebook the tests read. */
export interface ExecutedNotebook {
  cells: { cell_type: string; outputs?: { output_type: string; data?: Record<string, unknown>; text?: string[] }[] }[];
}

/**
 * @param name file name under notebooks/
 * @param env extra environment for the kernel (e.g. WORKBENCH_RESULTS)
 * @returns the executed notebook (throws with nbconvert's output when a cell fails)
 */
export async function executeNotebook(name: string, env: Record<string, string> = {}): Promise<ExecutedNotebook> {
  const out = await Deno.makeTempDir();
  const res = await new Deno.Command("jupyter", {
    args: [
      "nbconvert", "--to", "notebook", "--execute",
      "--ExecutePreprocessor.kernel_name=deno",
      "--ExecutePreprocessor.timeout=1200",
      // Outputs arriving after the execute reply are waited for this long (default 4 s drops them under load).
      "--ExecutePreprocessor.iopub_timeout=120",
      "--output-dir", out, `${root}notebooks/${name}`,
    ],
    cwd: `${root}notebooks`,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!res.success) {
    throw new Error(`Executing ${name} failed:\n${new TextDecoder().decode(res.stderr).slice(-4000)}`);
  }
  return JSON.parse(await Deno.readTextFile(`${out}/${name}`));
}

/**
 * @param nb an executed notebook
 * @returns every display/execute_result MIME bundle, in order
 */
export function outputBundles(nb: ExecutedNotebook): Record<string, unknown>[] {
  return nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.data).map((o) => o.data!));
}
