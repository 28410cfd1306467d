/**
 * A heatmap with the value written in each cell (e.g. validation loss over
 * effective batch × iterations) as a Plotly figure plus a static SVG of the
 * same data (d3's viridis scale, same as Plotly's "Viridis"), so a shared
 * notebook shows it where Plotly's MIME type does not render. Missing cells
 * (null/NaN) are grey and say "n/a".
 *
 * References: Plotly heatmap traces with `texttemplate`; d3-scale-chromatic viridis.
 */
// @ts-types="npm:@types/d3@7.4.3"
import * as d3 from "d3";
import type { Figure } from "./line_figure.ts";

/** The grid: z[row][column], rows labelled by y, columns by x. */
export interface HeatmapData {
  x: string[];
  y: string[];
  z: (number | null)[][];
}

/**
 * @param grid labels and values
 * @param options title, axis and colour-bar titles, reverse colours (low = bright), cell size
 * @returns the figure in both forms
 * @example
 * ```ts
 * import { heatmapFigure } from "./heatmap_figure.ts";
 * const fig = heatmapFigure({ x: ["100", "200"], y: ["8", "16"], z: [[1, 0.8], [0.9, null]] }, { title: "val loss" });
 * console.log(fig.plotly.data[0].type, fig.svg.includes("n/a")); // heatmap true
 * ```
 */
export function heatmapFigure(
  grid: HeatmapData,
  options: { title?: string; xTitle?: string; yTitle?: string; zTitle?: string; reverse?: boolean; cell?: number } = {},
): Figure {
  const { x, y, z } = grid;
  if (z.length !== y.length || z.some((r) => r.length !== x.length)) {
    throw new RangeError(`Cannot draw a heatmap as z must be ${y.length}×${x.length} (y × x): received ${z.length}×${z.map((r) => r.length).join("/")}`);
  }
  const { title = "", xTitle = "", yTitle = "", zTitle = "", reverse = false, cell = 72 } = options;
  const finite = z.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const [lo, hi] = finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
  const label = (v: number | null) => (v === null || !Number.isFinite(v) ? "n/a" : String(Number(v.toPrecision(4))));
  const width = 90 + x.length * cell + 130, height = 50 + y.length * cell + 50;
  const plotly = {
    data: [{
      type: "heatmap",
      x,
      y,
      z: z.map((r) => r.map((v) => (v === null || !Number.isFinite(v) ? null : v))),
      text: z.map((r) => r.map(label)),
      texttemplate: "%{text}",
      colorscale: "Viridis",
      reversescale: reverse,
      colorbar: { title: { text: zTitle } },
      hoverongaps: false,
    }],
    layout: {
      title: { text: title },
      xaxis: { title: { text: xTitle }, type: "category" },
      yaxis: { title: { text: yTitle }, type: "category" },
      width: Math.max(360, width + 60),
      height: Math.max(260, height),
      margin: { l: 70, r: 20, t: 40, b: 50 },
    },
  };
  const color = d3.scaleSequential(d3.interpolateViridis).domain(reverse ? [hi, lo] : [lo, hi === lo ? lo + 1 : hi]);
  const m = { l: 90, t: 50 };
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${m.l}" y="18" font-size="13">${esc(title)}</text>`,
  ];
  // Rows drawn bottom-up, as Plotly draws y categories.
  y.forEach((yl, r) => {
    const top = m.t + (y.length - 1 - r) * cell;
    parts.push(`<text x="${m.l - 6}" y="${top + cell / 2 + 4}" text-anchor="end">${esc(yl)}</text>`);
    x.forEach((_, c) => {
      const v = z[r][c];
      const ok = v !== null && Number.isFinite(v);
      const fill = ok ? color(v) : "#ccc";
      const dark = ok && d3.hsl(fill).l < 0.5;
      parts.push(`<rect x="${m.l + c * cell}" y="${top}" width="${cell - 1}" height="${cell - 1}" fill="${fill}"/>`);
      parts.push(`<text x="${m.l + c * cell + cell / 2}" y="${top + cell / 2 + 4}" text-anchor="middle" fill="${dark ? "white" : "black"}">${label(v)}</text>`);
    });
  });
  x.forEach((xl, c) => parts.push(`<text x="${m.l + c * cell + cell / 2}" y="${m.t + y.length * cell + 14}" text-anchor="middle">${esc(xl)}</text>`));
  parts.push(`<text x="${m.l + (x.length * cell) / 2}" y="${m.t + y.length * cell + 32}" text-anchor="middle">${esc(xTitle)}</text>`);
  parts.push(`<text transform="translate(14 ${m.t + (y.length * cell) / 2}) rotate(-90)" text-anchor="middle">${esc(yTitle)}</text>`);
  parts.push(`<text x="${m.l + x.length * cell + 8}" y="${m.t + 10}">${esc(zTitle)}</text>`);
  const key = m.l + x.length * cell + 8;
  parts.push(`<rect x="${key}" y="${m.t + 18}" width="10" height="10" fill="${color(hi)}"/><text x="${key + 14}" y="${m.t + 27}">${label(hi)} (max)</text>`);
  parts.push(`<rect x="${key}" y="${m.t + 34}" width="10" height="10" fill="${color(lo)}"/><text x="${key + 14}" y="${m.t + 43}">${label(lo)} (min)</text>`);
  parts.push("</svg>");
  return { plotly, svg: parts.join("") };
}
