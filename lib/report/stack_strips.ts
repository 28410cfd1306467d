/**
 * One image comparing several stored strips of the same clip: the first
 * strip's top row (the ground truth), then each strip's last row (its sample
 * or reconstruction), in order. A strip of another size than the first found
 * (another frame count or resolution) is left out and named, not stacked into
 * a broken image; a missing file is skipped.
 *
 * References: lib/report/strip_rows.ts, lib/report/stack_images.ts.
 */
import type { PngImage } from "../io/png.ts";
import { stackImages } from "./stack_images.ts";
import { stripRows } from "./strip_rows.ts";

/** What {@link stackStrips} returns. */
export interface StackedStrips {
  image: PngImage;
  /** The strips stacked, in order. */
  names: string[];
  /** The strips left out for another size. */
  other: string[];
}

/**
 * @param strips each strip's name, file and row count
 * @returns the stacked image, or null when no file exists
 * @example
 * ```ts ignore
 * const s = await stackStrips(runs.map((r) => ({ name: r, path: `${root}/${r}/samples/eval-000.png`, rows: 2 })));
 * ```
 */
export async function stackStrips(strips: readonly { name: string; path: string; rows: number }[]): Promise<StackedStrips | null> {
  const read = await Promise.all(strips.map(async (s) => ({ name: s.name, rows: await stripRows(s.path, s.rows) })));
  const present = read.filter((r): r is { name: string; rows: PngImage[] } => r.rows !== null);
  if (!present.length) return null;
  const [w, h] = [present[0].rows[0].width, present[0].rows[0].height];
  const same = present.filter((r) => r.rows[0].width === w && r.rows[0].height === h);
  return {
    image: stackImages([same[0].rows[0], ...same.map((r) => r.rows.at(-1)!)]),
    names: same.map((r) => r.name),
    other: present.filter((r) => !same.includes(r)).map((r) => r.name),
  };
}
