/**
 * Exports an executed notebook as ONE self-contained HTML file that works
 * offline: nbconvert's HTML exporter renders the notebook, every Plotly output
 * (`application/vnd.plotly.v1+json`) becomes a live figure drawn by plotly.js
 * inlined into the page, and its static SVG twin stays in a <noscript> block.
 *
 * References: nbconvert's HTMLExporter (display priority puts text/html
 * first); plotly.js `Plotly.newPlot(div, data, layout)`.
 */
import { ensureDebianPackages } from "../io/ensure_debian_packages.ts";
import { atomicWrite } from "../io/atomic_write.ts";

/** Options of {@link shareNotebook}. */
export interface ShareOptions {
  /** Output HTML path (default: the notebook's path with .html). */
  out?: string;
}

/**
 * @param notebook path of an executed .ipynb
 * @param options output path
 * @returns the HTML path written
 * @example
 * ```ts ignore
 * await shareNotebook("notebooks/00_smoke.ipynb"); // notebooks/00_smoke.html
 * ```
 */
export async function shareNotebook(notebook: string, options: ShareOptions = {}): Promise<string> {
  await ensureDebianPackages(["jupyter-nbconvert"], "Exporting notebooks");
  const out = options.out ?? notebook.replace(/\.ipynb$/, "") + ".html";
  let nb: { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
  try {
    nb = JSON.parse(await Deno.readTextFile(notebook));
  } catch (e) {
    throw new TypeError(`Cannot share ${notebook}: not a readable notebook (${(e as Error).message})`);
  }
  let figures = 0;
  for (const cell of nb.cells ?? []) {
    for (const o of cell.outputs ?? []) {
      const fig = o.data?.["application/vnd.plotly.v1+json"] as { data: unknown; layout?: unknown } | undefined;
      if (!fig) continue;
      const id = `plotly-figure-${figures++}`;
      const svg = typeof o.data!["image/svg+xml"] === "string" ? o.data!["image/svg+xml"] as string : "";
      o.data!["text/html"] = `<div id="${id}" class="plotly-figure"></div>` +
        `<script>Plotly.newPlot(${JSON.stringify(id)}, ${JSON.stringify(fig.data)}, ${
          JSON.stringify(fig.layout ?? {})
        }, {responsive: true, displaylogo: false});</script>` +
        (svg ? `<noscript>${svg}</noscript>` : "");
    }
  }
  const tmp = await Deno.makeTempDir();
  const src = `${tmp}/notebook.ipynb`;
  await Deno.writeTextFile(src, JSON.stringify(nb));
  const res = await new Deno.Command("jupyter", {
    args: ["nbconvert", "--to", "html", "--output-dir", tmp, "--output", "notebook", src],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!res.success) {
    throw new Error(`nbconvert could not export ${notebook}:\n${new TextDecoder().decode(res.stderr).slice(-2000)}`);
  }
  let html = await Deno.readTextFile(`${tmp}/notebook.html`);
  const plotly = await Deno.readTextFile(new URL(import.meta.resolve("plotly.js-dist-min")));
  // Inline plotly.js (escaping any "</script" inside it) at the top of <head>: before
  // nbconvert's require.js, whose AMD `define` would otherwise swallow the global Plotly.
  const lib = `<script>${plotly.replaceAll("</script", "<\\/script")}</script>`;
  const head = html.match(/<head[^>]*>/);
  // A replacer function: plotly.js contains `$` patterns a replacement string would expand.
  html = head ? html.replace(head[0], () => `${head![0]}${lib}`) : lib + html;
  await atomicWrite(out, html);
  await Deno.remove(tmp, { recursive: true });
  return out;
}
