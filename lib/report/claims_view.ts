/**
 * What a notebook shows of `results/ablations/claims.json` (written by
 * {@link computeClaims}, `deno task claims`): a table row per claim of the
 * notebook's sweeps (effect, 95% interval, verdict, seeds used and needed)
 * and a forest plot of the effects with their intervals, in percent of each
 * claim's baseline so that claims in different units share one axis.
 * Claims still pending are listed with their reason. Nothing is recomputed.
 *
 * References: forest plots of effects with confidence intervals (Lewis &
 * Clarke, BMJ 2001).
 */
import type { ClaimsTable } from "./compute_claims.ts";
import { type Figure, PALETTE } from "./line_figure.ts";

/** What {@link claimsView} returns. */
export interface ClaimsView {
  /** One row per claim (then one per pending claim), for `tableBundle`. */
  rows: Record<string, string | number>[];
  /** Effects and intervals in % of the baseline; null when no claim of these sweeps has a value. */
  figure: Figure | null;
  /** The file's entries for these sweeps. */
  claims: ClaimsTable["claims"];
}

/**
 * @param path results/ablations/claims.json
 * @param options experiments: the sweeps whose claims to show (default all)
 * @returns table rows, the forest plot and the entries
 * (a missing file gives one row saying so: `deno task claims` writes it)
 * @example
 * ```ts ignore
 * const view = await claimsView("../results/ablations/claims.json", { experiments: ["model_design", "benchmark"] });
 * await Deno.jupyter.display(tableBundle(view.rows), { raw: true });
 * if (view.figure) await displayFigure(view.figure, "claims: effects with 95% intervals");
 * ```
 */
export async function claimsView(path: string, options: { experiments?: readonly string[] } = {}): Promise<ClaimsView> {
  const text = await Deno.readTextFile(path).catch((e) => {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  });
  if (text === null) return { rows: [{ claim: "none", verdict: `no claims table at ${path}: run \`deno task claims\`` }], figure: null, claims: [] };
  const table = JSON.parse(text) as ClaimsTable;
  const mine = (e: string) => options.experiments === undefined || options.experiments.includes(e);
  const claims = table.claims.filter((c) => mine(c.experiment));
  const f = (v: number) => String(Number(v.toPrecision(3)));
  const rows: ClaimsView["rows"] = claims.map((c) => ({
    claim: c.id,
    comparison: c.comparison,
    seeds: c.seeds.join(", "),
    effect: f(c.effect),
    "95% CI": `[${f(c.ci_low)}, ${f(c.ci_high)}]`,
    "% of baseline": `${f(c.relative_effect * 100)}%`,
    interval: c.interval.split(";")[0],
    verdict: c.verdict,
    "seeds needed": c.seeds_needed,
  }));
  for (const p of table.pending.filter((p) => mine(p.experiment))) {
    rows.push({ claim: p.id, comparison: "", seeds: "", effect: "", "95% CI": "", "% of baseline": "", interval: "", verdict: `pending: ${p.reason}`, "seeds needed": "" });
  }
  return { rows, figure: claims.length ? forest(claims) : null, claims };
}

function forest(claims: ClaimsTable["claims"]): Figure {
  const pct = (c: ClaimsTable["claims"][number], v: number) => (100 * v) / Math.abs(c.baseline);
  const pts = claims.map((c) => ({ id: c.id, e: c.relative_effect * 100, lo: pct(c, c.ci_low), hi: pct(c, c.ci_high), verdict: c.verdict }));
  const colour = (v: string) => (v === "holds" ? PALETTE[2] : v === "reversed" ? PALETTE[3] : PALETTE[7]);
  const height = 80 + 26 * pts.length;
  const plotly = {
    data: [{
      type: "scatter",
      mode: "markers",
      name: "effect (95% CI)",
      x: pts.map((p) => p.e),
      y: pts.map((p) => p.id),
      error_x: { type: "data", symmetric: false, array: pts.map((p) => p.hi - p.e), arrayminus: pts.map((p) => p.e - p.lo), visible: true },
      marker: { color: pts.map((p) => colour(p.verdict)), size: 9 },
      text: pts.map((p) => p.verdict),
    }],
    layout: {
      title: { text: "effect with its 95% interval, % of the baseline (green holds, red reversed, grey neither)" },
      xaxis: { title: { text: "% of the baseline's mean" }, zeroline: true },
      yaxis: { automargin: true, autorange: "reversed" },
      width: 900,
      height,
      margin: { l: 300, r: 20, t: 40, b: 50 },
    },
  };
  const m = { l: 300, r: 20, t: 30, b: 40 }, width = 900, w = width - m.l - m.r;
  const x0 = Math.min(0, ...pts.map((p) => p.lo)), x1 = Math.max(0, ...pts.map((p) => p.hi));
  const sx = (v: number) => m.l + (x1 > x0 ? ((v - x0) / (x1 - x0)) * w : w / 2);
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="18" font-size="13">effect with its 95% interval, % of the baseline (green holds, red reversed, grey neither)</text>`,
    `<line x1="${sx(0).toFixed(1)}" x2="${sx(0).toFixed(1)}" y1="${m.t}" y2="${height - m.b}" stroke="#333"/>`,
    `<text x="${m.l}" y="${height - 12}">${String(Number(x0.toPrecision(3)))}%</text>`,
    `<text x="${m.l + w}" y="${height - 12}" text-anchor="end">${String(Number(x1.toPrecision(3)))}%</text>`,
  ];
  pts.forEach((p, i) => {
    const y = m.t + 13 + 26 * i;
    parts.push(`<text x="${m.l - 8}" y="${y + 4}" text-anchor="end">${esc(p.id)}</text>`);
    parts.push(`<line x1="${sx(p.lo).toFixed(1)}" x2="${sx(p.hi).toFixed(1)}" y1="${y}" y2="${y}" stroke="${colour(p.verdict)}" stroke-width="2"/>`);
    parts.push(`<circle cx="${sx(p.e).toFixed(1)}" cy="${y}" r="4" fill="${colour(p.verdict)}"/>`);
  });
  parts.push("</svg>");
  return { plotly, svg: parts.join("") };
}
