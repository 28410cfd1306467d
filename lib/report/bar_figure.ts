/**
 * Grouped bars with error bars (e.g. a metric per design, mean ± std over
 * seeds) as a Plotly figure plus a static SVG of the same data, so a shared
 * notebook shows it where Plotly's MIME type does not render. Missing values
 * (null/NaN) draw no bar and read "n/a" in the SVG.
 *
 * References: Plotly bar traces with `error_y`.
 */
import { type Figure, PALETTE } from "./line_figure.ts";

/** One bar series across the categories. */
export interface BarSeries {
  name: string;
  y: (number | null)[];
  /** Symmetric error per bar (e.g. the std over seeds); null/NaN = none. */
  err?: (number | null)[];
}

/**
 * @param categories the x labels
 * @param series one or more series, each with one value per category
 * @param options title, y title, size
 * @returns the figure in both forms
 * @example
 * ```ts
 * import { barFigure } from "./bar_figure.ts";
 * const fig = barFigure(["a", "b"], [{ name: "FID-syn", y: [30, 25], err: [1, 2] }]);
 * console.log(fig.plotly.data[0].type); // bar
 * ```
 */
export function barFigure(
  categories: readonly string[],
  series: readonly BarSeries[],
  options: { title?: string; yTitle?: string; width?: number; height?: number } = {},
): Figure {
  for (const s of series) {
    if (s.y.length !== categories.length || (s.err && s.err.length !== categories.length)) {
      throw new RangeError(`Cannot draw bars "${s.name}" as it must have one value per category (${categories.length}): received ${s.y.length}`);
    }
  }
  const { title = "", yTitle = "", width = 640, height = 360 } = options;
  const num = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
  const plotly = {
    data: series.map((s, i) => ({
      type: "bar",
      name: s.name,
      x: [...categories],
      y: s.y.map(num),
      error_y: s.err ? { type: "data", array: s.err.map((e) => num(e) ?? 0), visible: true } : undefined,
      marker: { color: PALETTE[i % PALETTE.length] },
    })),
    layout: {
      title: { text: title },
      barmode: "group",
      yaxis: { title: { text: yTitle } },
      width,
      height,
      margin: { l: 60, r: 20, t: 40, b: 70 },
    },
  };
  const m = { l: 60, r: 190, t: 30, b: 60 };
  const w = width - m.l - m.r, h = height - m.t - m.b;
  const tops = series.flatMap((s) => s.y.map((v, j) => (num(v) ?? 0) + Math.max(0, num(s.err?.[j]) ?? 0)));
  const bots = series.flatMap((s) => s.y.map((v, j) => Math.min(0, (num(v) ?? 0) - Math.max(0, num(s.err?.[j]) ?? 0))));
  const y1 = Math.max(0, ...tops), y0 = Math.min(0, ...bots);
  const sy = (v: number) => m.t + h - (y1 > y0 ? ((v - y0) / (y1 - y0)) * h : 0);
  const group = w / Math.max(1, categories.length), bw = (group * 0.8) / Math.max(1, series.length);
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const fmt = (v: number) => String(Number(v.toPrecision(3)));
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${m.l}" y="18" font-size="13">${esc(title)}</text>`,
    `<line x1="${m.l}" x2="${m.l + w}" y1="${sy(0)}" y2="${sy(0)}" stroke="#333"/>`,
    `<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + h}" stroke="#333"/>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const v = y0 + ((y1 - y0) * k) / 4;
    parts.push(`<text x="${m.l - 4}" y="${sy(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  parts.push(`<text transform="translate(14 ${m.t + h / 2}) rotate(-90)" text-anchor="middle">${esc(yTitle)}</text>`);
  categories.forEach((c, j) => {
    // Category labels wrap at word boundaries to the group's width (about 6 px per character).
    const lines = wrap(c, Math.max(6, Math.floor(group / 6.2)));
    lines.forEach((l, k) => parts.push(`<text x="${m.l + group * (j + 0.5)}" y="${m.t + h + 14 + 12 * k}" text-anchor="middle">${esc(l)}</text>`));
    series.forEach((s, i) => {
      const x = m.l + group * j + group * 0.1 + bw * i;
      const v = num(s.y[j]);
      if (v === null) {
        parts.push(`<text x="${x + bw / 2}" y="${sy(0) - 4}" text-anchor="middle" fill="#888">n/a</text>`);
        return;
      }
      parts.push(`<rect x="${x.toFixed(1)}" y="${Math.min(sy(v), sy(0)).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${Math.abs(sy(v) - sy(0)).toFixed(1)}" fill="${PALETTE[i % PALETTE.length]}"/>`);
      const e = num(s.err?.[j]);
      if (e !== null && e > 0) {
        const cx = (x + bw / 2 - 1).toFixed(1);
        parts.push(`<line x1="${cx}" x2="${cx}" y1="${sy(v + e).toFixed(1)}" y2="${sy(v - e).toFixed(1)}" stroke="#222"/>`);
      }
    });
  });
  series.forEach((s, i) => {
    parts.push(`<rect x="${m.l + w + 10}" y="${m.t + 14 * i}" width="10" height="8" fill="${PALETTE[i % PALETTE.length]}"/>`);
    parts.push(`<text x="${m.l + w + 24}" y="${m.t + 14 * i + 8}">${esc(s.name.slice(0, 30))}</text>`);
  });
  parts.push("</svg>");
  return { plotly, svg: parts.join("") };
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(" ")) {
    const last = lines.at(-1);
    if (last !== undefined && (last + " " + word).length <= width) lines[lines.length - 1] = last + " " + word;
    else lines.push(word);
  }
  return lines.slice(0, 3);
}
