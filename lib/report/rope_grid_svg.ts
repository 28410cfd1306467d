/**
 * A d3-drawn map of RoPE (h, w) positions at frame 0: the video tokens' grid
 * and the reference tokens' block. With the shifted RoPE of RealisDance-DiT
 * the reference block sits diagonally past the video grid (h ∈ [H, H+H'),
 * w ∈ [W, W+W')), so no reference token shares a position with a video token;
 * unshifted, the two overlap.
 *
 * References: RealisDance-DiT (2025) §3, shifted RoPE for the reference latent.
 *
 * @example
 * ```ts
 * import { ropeGridSvg } from "./rope_grid_svg.ts";
 * const svg = ropeGridSvg({ video: [4, 4], reference: [4, 3], shifted: true });
 * svg.startsWith("<svg"); // true
 * ```
 */
// @ts-types="npm:@types/d3@7.4.3"
import * as d3 from "d3";

/**
 * @param options video grid [H, W], reference grid [H', W'], whether shifted, cell size
 * @returns an SVG document
 */
export function ropeGridSvg(options: {
  video: [number, number];
  reference: [number, number];
  shifted: boolean;
  cell?: number;
  title?: string;
}): string {
  const { video: [H, W], reference: [Hr, Wr], shifted, cell = 18 } = options;
  const [h0, w0] = shifted ? [H, W] : [0, 0];
  const rows = Math.max(H, h0 + Hr), cols = Math.max(W, w0 + Wr);
  const m = { l: 36, t: 36, r: 140, b: 24 };
  const x = d3.scaleBand<number>().domain(d3.range(cols)).range([m.l, m.l + cols * cell]);
  const y = d3.scaleBand<number>().domain(d3.range(rows)).range([m.t, m.t + rows * cell]);
  const width = m.l + cols * cell + m.r, height = m.t + rows * cell + m.b;
  const cells: string[] = [];
  for (let h = 0; h < H; h++) {
    for (let w = 0; w < W; w++) {
      cells.push(`<rect x="${x(w)}" y="${y(h)}" width="${cell - 1}" height="${cell - 1}" fill="#1f77b4" fill-opacity="0.6"/>`);
    }
  }
  for (let h = 0; h < Hr; h++) {
    for (let w = 0; w < Wr; w++) {
      cells.push(`<rect x="${x(w0 + w)}" y="${y(h0 + h)}" width="${cell - 1}" height="${cell - 1}" fill="#ff7f0e" fill-opacity="0.6"/>`);
    }
  }
  const title = options.title ?? `${shifted ? "shifted" : "unshifted"} RoPE: video ${H}×${W} tokens, reference ${Hr}×${Wr}`;
  const axis = [
    ...d3.range(cols).map((w) => `<text x="${x(w)! + cell / 2}" y="${m.t - 4}" text-anchor="middle" font-size="9">${w}</text>`),
    ...d3.range(rows).map((h) => `<text x="${m.l - 4}" y="${y(h)! + cell / 2 + 3}" text-anchor="end" font-size="9">${h}</text>`),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${m.l}" y="14" font-size="12">${title}</text>`,
    ...axis,
    ...cells,
    `<rect x="${m.l + cols * cell + 12}" y="${m.t}" width="10" height="10" fill="#1f77b4" fill-opacity="0.6"/><text x="${m.l + cols * cell + 26}" y="${m.t + 9}" font-size="11">video tokens (w → , h ↓)</text>`,
    `<rect x="${m.l + cols * cell + 12}" y="${m.t + 16}" width="10" height="10" fill="#ff7f0e" fill-opacity="0.6"/><text x="${m.l + cols * cell + 26}" y="${m.t + 25}" font-size="11">reference tokens</text>`,
    `</svg>`,
  ].join("");
}
