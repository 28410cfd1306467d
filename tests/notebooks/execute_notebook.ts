/**
 * Executes a notebook in real Jupyter with the Deno kernel
 * (nbclient, as `jupyter nbconvert --execute` does, plus a barrier after each
 * cell that keeps late outputs: `_execute_notebook.py`), returning the executed notebook.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;

/** The parts of an executed notebook the tests read. */
export interface ExecutedNotebook {
  cells: { cell_type: string; outputs?: { output_type: string; data?: Record<string, unknown>; text?: string[] }[] }[];
}

/**
 * @param name file name under notebooks/
 * @param env extra environment for the kernel (e.g. WORKBENCH_RESULTS)
 * @returns the executed notebook (throws with the executor's output when a cell fails)
 */
export function executeNotebook(name: string, env: Record<string, string> = {}): Promise<ExecutedNotebook> {
  return executeNotebookFile(`${root}notebooks/${name}`, env);
}

/**
 * @param path any notebook file; it runs with notebooks/ as its working directory
 * @param env extra environment for the kernel
 * @returns the executed notebook (throws with the executor's output when a cell fails)
 */
export async function executeNotebookFile(path: string, env: Record<string, string> = {}): Promise<ExecutedNotebook> {
  const out = await Deno.makeTempFile({ suffix: ".ipynb" });
  try {
    const res = await new Deno.Command("/usr/bin/python3", {
      // nbclient with a barrier after each cell, so outputs the Deno kernel sends after a cell's idle status are kept (see the script).
      args: [`${root}tests/notebooks/_execute_notebook.py`, path, out, "--timeout", "1200"],
      cwd: `${root}notebooks`,
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!res.success) {
      throw new Error(`Executing ${path} failed:\n${new TextDecoder().decode(res.stderr).slice(-4000)}`);
    }
    return JSON.parse(await Deno.readTextFile(out));
  } finally {
    await Deno.remove(out).catch(() => {});
  }
}

/**
 * @param nb an executed notebook
 * @returns every display/execute_result MIME bundle, in order
 */
export function outputBundles(nb: ExecutedNotebook): Record<string, unknown>[] {
  return nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.data).map((o) => o.data!));
}

/** Every figure is a Plotly bundle with an SVG fallback; returns the Plotly bundles. */
export function checkFigures(nb: ExecutedNotebook, atLeast: number): Record<string, unknown>[] {
  const errors = nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "error"));
  assert.equal(errors.length, 0, `error outputs: ${JSON.stringify(errors).slice(0, 1000)}`);
  const plots = outputBundles(nb).filter((b) => "application/vnd.plotly.v1+json" in b);
  assert.ok(plots.length >= atLeast, `expected >= ${atLeast} Plotly figures, got ${plots.length}`);
  for (const p of plots) {
    assert.ok(String(p["image/svg+xml"]).startsWith("<svg"), `figure "${p["text/plain"]}" lacks its SVG fallback`);
    const fig = p["application/vnd.plotly.v1+json"] as { data: unknown[] };
    assert.ok(fig.data.length > 0, `figure "${p["text/plain"]}" has no traces`);
  }
  return plots;
}

/** The HTML tables in output order, as header + body rows of cell texts. */
export function tables(nb: ExecutedNotebook): { head: string[]; rows: string[][] }[] {
  const cells = (html: string, tag: string) => [...html.matchAll(new RegExp(`<${tag}>(.*?)</${tag}>`, "g"))].map((m) => m[1].replace(/&lt;/g, "<").replace(/&amp;/g, "&"));
  return outputBundles(nb).map((b) => String(b["text/html"] ?? "")).filter((h) => h.startsWith("<table>")).map((h) => ({
    head: cells(h.split("<tbody>")[0], "th"),
    rows: [...h.split("<tbody>")[1].matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => cells(m[1], "td")),
  }));
}

/** Everything the notebook printed (stream outputs), concatenated in order. */
export function streamText(nb: ExecutedNotebook): string {
  return nb.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.output_type === "stream").map((o) => [o.text ?? []].flat().join(""))).join("");
}
