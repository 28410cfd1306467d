/**
 * A line chart as a Plotly figure plus a static SVG of the same data, so a
 * shared notebook shows the figure where Plotly's MIME type does not render.
 *
 * @example
 * ```ts
 * import { lineFigure } from "./line_figure.ts";
 * const fig = lineFigure([{ name: "run a", x: [1, 2, 3], y: [1, 0.5, 0.3] }], { title: "loss" });
 * fig.svg.startsWith("<svg"); // true
 * ```
 */

/** One line. */
export interface Series {
  name: string;
  x: number[];
  y: (number | null)[];
}

/** A Plotly figure (data + layout) and its static SVG rendering. */
export interface Figure {
  plotly: { data: Record<string, unknown>[]; layout: Record<string, unknown> };
  svg: string;
}

/** Plotly's default colour cycle, shared by the SVG so both look alike. */
export const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/**
 * @param series the lines
 * @param options title, axis titles, log-scale y, size
 * @returns the figure in both forms
 */
export function lineFigure(
  series: readonly Series[],
  options: { title?: string; xTitle?: string; yTitle?: string; logY?: boolean; width?: number; height?: number } = {},
): Figure {
  const { title = "", xTitle = "", yTitle = "", logY = false, width = 640, height = 360 } = options;
  const plotly = {
    data: series.map((s, i) => ({
      type: "scatter",
      mode: "lines",
      name: s.name,
      x: s.x,
      y: s.y,
      line: { color: PALETTE[i % PALETTE.length] },
    })),
    layout: {
      title: { text: title },
      xaxis: { title: { text: xTitle } },
      yaxis: { title: { text: yTitle }, type: logY ? "log" : "linear" },
      width,
      height,
      margin: { l: 60, r: 20, t: 40, b: 50 },
    },
  };
  return { plotly, svg: lineSvg(series, { title, xTitle, yTitle, logY, width, height }) };
}

function lineSvg(
  series: readonly Series[],
  o: { title: string; xTitle: string; yTitle: string; logY: boolean; width: number; height: number },
): string {
  const m = { l: 60, r: 150, t: 30, b: 45 };
  const w = o.width - m.l - m.r, h = o.height - m.t - m.b;
  const fy = (v: number) => (o.logY ? Math.log10(v) : v);
  const xs = series.flatMap((s) => s.x);
  const ys = series.flatMap((s) => s.y.filter((v): v is number => v !== null && Number.isFinite(fy(v))).map(fy));
  const [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  const sx = (x: number) => m.l + (x1 > x0 ? ((x - x0) / (x1 - x0)) * w : w / 2);
  const sy = (y: number) => m.t + h - (y1 > y0 ? ((fy(y) - y0) / (y1 - y0)) * h : h / 2);
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${o.height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${m.l}" y="18" font-size="13">${esc(o.title)}</text>`,
    `<rect x="${m.l}" y="${m.t}" width="${w}" height="${h}" fill="none" stroke="#888"/>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const xv = x0 + ((x1 - x0) * k) / 4, yv = y0 + ((y1 - y0) * k) / 4;
    const yl = o.logY ? Math.pow(10, yv) : yv;
    parts.push(`<text x="${sx(xv)}" y="${m.t + h + 14}" text-anchor="middle">${fmt(xv)}</text>`);
    parts.push(`<text x="${m.l - 4}" y="${m.t + h - (h * k) / 4 + 4}" text-anchor="end">${fmt(yl)}</text>`);
  }
  parts.push(`<text x="${m.l + w / 2}" y="${o.height - 8}" text-anchor="middle">${esc(o.xTitle)}</text>`);
  parts.push(`<text transform="translate(14 ${m.t + h / 2}) rotate(-90)" text-anchor="middle">${esc(o.yTitle)}</text>`);
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    let d = "";
    let pen = false;
    s.x.forEach((x, j) => {
      const y = s.y[j];
      if (y === null || !Number.isFinite(fy(y))) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`;
      pen = true;
    });
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    parts.push(`<rect x="${m.l + w + 10}" y="${m.t + 14 * i}" width="10" height="3" fill="${color}"/>`);
    parts.push(`<text x="${m.l + w + 24}" y="${m.t + 14 * i + 5}">${esc(s.name.slice(0, 22))}</text>`);
  });
  parts.push("</svg>");
  return parts.join("");
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return "0";
  return a >= 1e4 || a < 1e-2 ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}
