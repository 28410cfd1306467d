/**
 * The rows of a stored PNG strip (`writeVideoStrip`: rows of equal height,
 * e.g. ground truth, reconstruction, sample, separated by 1-pixel gaps), as
 * separate images.
 *
 * References: lib/report/video_strip.ts (the layout it undoes).
 */
import { decodePng, type PngImage } from "../io/png.ts";

/**
 * @param path the PNG file
 * @param n how many rows it holds
 * @returns its n rows, top first, or null when the file is missing
 * @throws {RangeError} when its height is not n rows of equal height with 1-pixel gaps
 * @example
 * ```ts ignore
 * const [truth, sample] = (await stripRows("results/pretrain/0/samples/eval-000.png", 2))!;
 * ```
 */
export async function stripRows(path: string, n: number): Promise<PngImage[] | null> {
  const png = await Deno.readFile(path).catch((e) => {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  });
  if (!png) return null;
  const img = await decodePng(png, path);
  const h = (img.height - (n - 1)) / n, row = img.width * img.channels;
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(h) || h < 1) {
    throw new RangeError(`Cannot split ${path} (height ${img.height}) into ${n} rows: expected n rows of equal height with 1-pixel gaps`);
  }
  return Array.from({ length: n }, (_, k) => ({ ...img, height: h, data: img.data.slice(k * (h + 1) * row, (k * (h + 1) + h) * row) }));
}
