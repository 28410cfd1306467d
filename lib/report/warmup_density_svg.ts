/**
 * A d3-drawn figure of the warmup timestep densities p_i(s) = 1 + c_i·(1 − 2s)
 * over training iterations i, with c_i = α·max(0, 1 − i/τ): the slope decays
 * to the uniform density at i = τ. Drawn as static SVG (d3 scales and line
 * generators, no DOM), so it shows in any notebook viewer.
 *
 * References: the RealisDance-DiT paper's low-noise warmup (its formula is
 * published garbled; lib/diffusion/timesteps keeps its structure).
 *
 * @example
 * ```ts
 * import { warmupDensitySvg } from "./warmup_density_svg.ts";
 * const svg = warmupDensitySvg({ alpha: 0.8, warmup: 100, iterations: [0, 50, 100] });
 * svg.includes("<path"); // true
 * ```
 */
// @ts-types="npm:@types/d3@7.4.3"
import * as d3 from "d3";

/**
 * @param options α (negative for high-noise warmup), τ, the iterations to draw, size
 * @returns an SVG document
 */
export function warmupDensitySvg(options: {
  alpha: number;
  warmup: number;
  iterations: number[];
  width?: number;
  height?: number;
  title?: string;
}): string {
  const { alpha, warmup, iterations, width = 520, height = 300 } = options;
  if (!(Math.abs(alpha) <= 1) || alpha === 0) {
    throw new RangeError(`Cannot draw warmup densities as alpha must be in [-1, 0) ∪ (0, 1]: received ${alpha}`);
  }
  const title = options.title ?? `${alpha > 0 ? "low" : "high"}-noise warmup, α = ${alpha}, τ = ${warmup}`;
  const m = { l: 48, r: 120, t: 28, b: 40 };
  const x = d3.scaleLinear().domain([0, 1]).range([m.l, width - m.r]);
  const y = d3.scaleLinear().domain([0, 1 + Math.abs(alpha)]).range([height - m.b, m.t]);
  const color = d3.scaleSequential(d3.interpolateViridis).domain([0, Math.max(1, iterations.length - 1)]);
  const grid = d3.range(0, 1.0001, 0.02);
  const paths = iterations.map((i, k) => {
    const c = alpha * Math.max(0, 1 - i / warmup);
    const pts = grid.map((s) => [x(s), y(1 + c * (1 - 2 * s))] as [number, number]);
    const d = d3.line()(pts);
    return `<path d="${d}" fill="none" stroke="${color(k)}" stroke-width="2"/>` +
      `<text x="${width - m.r + 8}" y="${m.t + 14 * k + 4}" font-size="11">i = ${i}${i >= warmup ? " (uniform)" : ""}</text>` +
      `<rect x="${width - m.r - 4}" y="${m.t + 14 * k}" width="8" height="3" fill="${color(k)}"/>`;
  });
  const xt = x.ticks(5).map((t) =>
    `<line x1="${x(t)}" x2="${x(t)}" y1="${height - m.b}" y2="${height - m.b + 4}" stroke="#333"/><text x="${x(t)}" y="${height - m.b + 16}" text-anchor="middle" font-size="11">${t}</text>`
  );
  const yt = y.ticks(5).map((t) =>
    `<line x1="${m.l - 4}" x2="${m.l}" y1="${y(t)}" y2="${y(t)}" stroke="#333"/><text x="${m.l - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${t}</text>`
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${m.l}" y="16" font-size="13">${title}</text>`,
    `<line x1="${m.l}" x2="${width - m.r}" y1="${height - m.b}" y2="${height - m.b}" stroke="#333"/>`,
    `<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${height - m.b}" stroke="#333"/>`,
    ...xt,
    ...yt,
    `<text x="${(m.l + width - m.r) / 2}" y="${height - 6}" text-anchor="middle" font-size="11">noise level s (0 clean, 1 pure noise)</text>`,
    `<text transform="translate(12 ${(m.t + height - m.b) / 2}) rotate(-90)" text-anchor="middle" font-size="11">density p_i(s)</text>`,
    ...paths,
    `</svg>`,
  ].join("");
}
