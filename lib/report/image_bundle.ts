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
 * @param options scale: integer nearest-neighbour enlargement of an image (default 1; tiny clips read better at 2–4)
 * @returns { "image/png": base64, "text/plain": alt }
 * @example
 * ```ts
 * import { imageBundle } from "./image_bundle.ts";
 * const b = await imageBundle({ width: 1, height: 1, channels: 3, data: new Uint8Array(3) }, "dot");
 * console.log(b["image/png"].startsWith("iVBOR")); // true
 * ```
 */
export async function imageBundle(
  png: Uint8Array | PngImage,
  alt: string,
  options: { scale?: number } = {},
): Promise<Record<string, string>> {
  const { scale = 1 } = options;
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`Cannot enlarge an image as scale must be an integer >= 1: received ${scale}`);
  if (scale > 1 && png instanceof Uint8Array) throw new TypeError("Cannot enlarge encoded PNG bytes: pass the decoded image");
  const bytes = png instanceof Uint8Array ? png : await encodePng(scale === 1 ? png : enlarge(png, scale));
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { "image/png": btoa(bin), "text/plain": alt };
}

function enlarge(img: PngImage, k: number): PngImage {
  const c = img.channels, W = img.width * k, H = img.height * k;
  const data = new Uint8Array(W * H * c);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const src = (Math.floor(y / k) * img.width + Math.floor(x / k)) * c;
      data.set(img.data.subarray(src, src + c), (y * W + x) * c);
    }
  }
  return { ...img, width: W, height: H, data };
}
