/**
 * Mean curves with a shaded spread band (e.g. mean ± std over seeds) as a
 * Plotly figure plus a static SVG of the same data, so a shared notebook shows
 * the figure where Plotly's MIME type does not render.
 *
 * References: Plotly scatter `fill: "tonexty"` bands.
 */
import { type Figure, PALETTE } from "./line_figure.ts";

/** One mean curve and its band. */
export interface BandSeries {
  name: string;
  x: number[];
  mean: number[];
  /** Lower and upper edge of the band per x (NaN/null = no band there). */
  lo: (number | null)[];
  hi: (number | null)[];
}

/**
 * @param series the curves
 * @param options title, axis titles, log-scale y, size
 * @returns the figure in both forms
 * @example
 * ```ts
 * import { bandFigure } from "./band_figure.ts";
 * const fig = bandFigure([{ name: "a", x: [0, 1], mean: [1, 0.5], lo: [0.9, 0.4], hi: [1.1, 0.6] }]);
 * console.log(fig.plotly.data.length, fig.svg.includes("<polygon")); // 3 true
 * ```
 */
export function bandFigure(
  series: readonly BandSeries[],
  options: { title?: string; xTitle?: string; yTitle?: string; logY?: boolean; width?: number; height?: number } = {},
): Figure {
  const { title = "", xTitle = "", yTitle = "", logY = false, width = 700, height = 360 } = options;
  for (const s of series) {
    if (s.mean.length !== s.x.length || s.lo.length !== s.x.length || s.hi.length !== s.x.length) {
      throw new RangeError(`Cannot draw band "${s.name}" as x, mean, lo, hi must have one length: received ${s.x.length}, ${s.mean.length}, ${s.lo.length}, ${s.hi.length}`);
    }
  }
  const ok = (v: number | null): v is number => v !== null && Number.isFinite(v) && (!logY || v > 0);
  const data: Record<string, unknown>[] = [];
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const idx = s.x.map((_, j) => j).filter((j) => ok(s.lo[j]) && ok(s.hi[j]));
    data.push(
      { type: "scatter", mode: "lines", x: idx.map((j) => s.x[j]), y: idx.map((j) => s.hi[j]), line: { width: 0, color }, showlegend: false, hoverinfo: "skip", legendgroup: s.name },
      {
        type: "scatter", mode: "lines", x: idx.map((j) => s.x[j]), y: idx.map((j) => s.lo[j]), line: { width: 0, color }, fill: "tonexty",
        fillcolor: hexToRgba(color, 0.2), showlegend: false, hoverinfo: "skip", legendgroup: s.name,
      },
      { type: "scatter", mode: "lines+markers", name: s.name, x: s.x, y: s.mean, line: { color }, marker: { size: 4 }, legendgroup: s.name },
    );
  });
  const plotly = {
    data,
    layout: {
      title: { text: title },
      xaxis: { title: { text: xTitle } },
      yaxis: { title: { text: yTitle }, type: logY ? "log" : "linear" },
      width,
      height,
      margin: { l: 60, r: 20, t: 40, b: 50 },
    },
  };
  // SVG
  const m = { l: 60, r: 230, t: 30, b: 45 };
  const w = width - m.l - m.r, h = height - m.t - m.b;
  const fy = (v: number) => (logY ? Math.log10(v) : v);
  const xs = series.flatMap((s) => s.x);
  const ys = series.flatMap((s) => [...s.mean, ...s.lo, ...s.hi].filter(ok).map(fy));
  const [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  const sx = (x: number) => m.l + (x1 > x0 ? ((x - x0) / (x1 - x0)) * w : w / 2);
  const sy = (y: number) => m.t + h - (y1 > y0 ? ((fy(y) - y0) / (y1 - y0)) * h : h / 2);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${m.l}" y="18" font-size="13">${esc(title)}</text>`,
    `<rect x="${m.l}" y="${m.t}" width="${w}" height="${h}" fill="none" stroke="#888"/>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const xv = x0 + ((x1 - x0) * k) / 4, yv = y0 + ((y1 - y0) * k) / 4;
    parts.push(`<text x="${sx(xv)}" y="${m.t + h + 14}" text-anchor="middle">${fmt(xv)}</text>`);
    parts.push(`<text x="${m.l - 4}" y="${m.t + h - (h * k) / 4 + 4}" text-anchor="end">${fmt(logY ? 10 ** yv : yv)}</text>`);
  }
  parts.push(`<text x="${m.l + w / 2}" y="${height - 8}" text-anchor="middle">${esc(xTitle)}</text>`);
  parts.push(`<text transform="translate(14 ${m.t + h / 2}) rotate(-90)" text-anchor="middle">${esc(yTitle)}</text>`);
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const idx = s.x.map((_, j) => j).filter((j) => ok(s.lo[j]) && ok(s.hi[j]));
    if (idx.length) {
      const pts = [...idx.map((j) => `${sx(s.x[j]).toFixed(1)},${sy(s.hi[j]!).toFixed(1)}`), ...idx.reverse().map((j) => `${sx(s.x[j]).toFixed(1)},${sy(s.lo[j]!).toFixed(1)}`)];
      parts.push(`<polygon points="${pts.join(" ")}" fill="${color}" fill-opacity="0.2" stroke="none"/>`);
    }
    let d = "", pen = false;
    s.x.forEach((x, j) => {
      if (!ok(s.mean[j])) return void (pen = false);
      d += `${pen ? "L" : "M"}${sx(x).toFixed(1)} ${sy(s.mean[j]).toFixed(1)}`;
      pen = true;
    });
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    parts.push(`<rect x="${m.l + w + 10}" y="${m.t + 14 * i}" width="10" height="6" fill="${color}" fill-opacity="0.5"/>`);
    parts.push(`<text x="${m.l + w + 24}" y="${m.t + 14 * i + 6}">${esc(s.name.slice(0, 36))}</text>`);
  });
  parts.push("</svg>");
  return { plotly, svg: parts.join("") };
}

function hexToRgba(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

function esc(t: string): string {
  return t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return "0";
  return a >= 1e4 || a < 1e-2 ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}
