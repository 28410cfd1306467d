/**
 * Shows a figure in a Jupyter notebook (Deno kernel) as one output holding
 * Plotly JSON (`application/vnd.plotly.v1+json`), the static SVG fallback and
 * a text line, so viewers that cannot run Plotly still show the chart.
 *
 * References: nbformat MIME bundles; Deno's `Deno.jupyter.display(bundle, { raw: true })`.
 */
import type { Figure } from "./line_figure.ts";

/**
 * @param fig the figure from `lineFigure` (or any `{ plotly, svg }`)
 * @param alt the text/plain fallback
 * @returns the MIME bundle (also displayed when running inside Jupyter)
 * @example
 * ```ts
 * import { lineFigure } from "./line_figure.ts";
 * import { figureBundle } from "./display_figure.ts";
 * const b = figureBundle(lineFigure([{ name: "a", x: [0, 1], y: [1, 2] }]), "loss");
 * Object.keys(b).includes("image/svg+xml"); // true
 * ```
 */
export function figureBundle(fig: Figure, alt = "figure"): Record<string, unknown> {
  return {
    "application/vnd.plotly.v1+json": fig.plotly,
    "image/svg+xml": fig.svg,
    "text/plain": alt,
  };
}

/**
 * Displays the bundle when inside Jupyter; a no-op elsewhere.
 * @param fig the figure
 * @param alt the text fallback
 */
export async function displayFigure(fig: Figure, alt = "figure"): Promise<void> {
  // deno-lint-ignore no-explicit-any
  const jupyter = (Deno as any).jupyter;
  if (jupyter?.display) await jupyter.display(figureBundle(fig, alt), { raw: true });
}
