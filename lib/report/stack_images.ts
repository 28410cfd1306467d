/**
 * Images of one width stacked top to bottom with a 1-pixel white gap, the
 * layout of the sample strips.
 *
 * References: lib/report/video_strip.ts (the same gaps).
 */
import type { PngImage } from "../io/png.ts";

/**
 * @param parts images of one width and channel count, top first
 * @returns one image
 * @throws {RangeError} when there is none or their widths or channels differ
 * @example
 * ```ts
 * import { stackImages } from "./stack_images.ts";
 * const dot = { width: 1, height: 1, channels: 1 as const, data: new Uint8Array([0]) };
 * console.log(Array.from(stackImages([dot, dot]).data)); // [0, 255, 0]
 * ```
 */
export function stackImages(parts: readonly PngImage[]): PngImage {
  if (!parts.length || parts.some((p) => p.width !== parts[0].width || p.channels !== parts[0].channels)) {
    throw new RangeError(`Cannot stack ${parts.map((p) => `${p.width}×${p.height}×${p.channels}`).join(", ") || "no images"}: expected one width and channel count`);
  }
  const { width, channels } = parts[0], row = width * channels;
  const height = parts.reduce((a, p) => a + p.height, 0) + parts.length - 1;
  const data = new Uint8Array(height * row).fill(255);
  let y = 0;
  for (const p of parts) {
    data.set(p.data, y * row);
    y += p.height + 1;
  }
  return { ...parts[0], height, data };
}
