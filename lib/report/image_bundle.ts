/**
 * A PNG as a notebook output bundle (`image/png` base64 plus a text line),
 * for sample strips and condition strips.
 *
 * References: nbformat MIME bundles (image/png is base64 text).
 */
import { encodePng, type PngImage } from "../io/png.ts";

/**
 * @param png PNG file bytes, or an 8-bit image to encode
 * @param alt the text/plain fallback
 * @returns { "image/png": base64, "text/plain": alt }
 * @example
 * ```ts
 * import { imageBundle } from "./image_bundle.ts";
 * const b = await imageBundle({ width: 1, height: 1, channels: 3, data: new Uint8Array(3) }, "dot");
 * console.log(b["image/png"].startsWith("iVBOR")); // true
 * ```
 */
export async function imageBundle(png: Uint8Array | PngImage, alt: string): Promise<Record<string, string>> {
  const bytes = png instanceof Uint8Array ? png : await encodePng(png);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { "image/png": btoa(bin), "text/plain": alt };
}
