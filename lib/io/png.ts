/**
 * PNG encoding and decoding for 8-bit images, with zlib through the
 * platform's CompressionStream / DecompressionStream ("deflate" = zlib).
 *
 * Decodes non-interlaced 8-bit greyscale, grey+alpha, RGB, RGBA and palette
 * images (palette → RGB, or RGBA when a tRNS chunk is present); encodes
 * 1–4 channel 8-bit images with per-row adaptive filtering.
 *
 * References: PNG Specification (Third Edition, W3C), §5 (chunks), §7.3 and
 * §9 (filtering, Paeth predictor), §11.2 (IHDR, PLTE, IDAT, IEND), §11.3.2.1
 * (tRNS); RFC 1950 (zlib).
 */

/** An 8-bit image, row-major, channels interleaved: data.length = height·width·channels. */
export interface PngImage {
  width: number;
  height: number;
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const COLOR_TYPE_BY_CHANNELS = { 1: 0, 2: 4, 3: 2, 4: 6 } as const;
const CHANNELS_BY_COLOR_TYPE: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Encodes an 8-bit image as PNG.
 *
 * @param image pixels and size
 * @param options `filter`: "adaptive" (per row, the filter with the smallest
 *   sum of |signed bytes|, the spec's recommended heuristic) or "none"
 * @returns the PNG file bytes
 * @example
 * ```ts
 * import { decodePng, encodePng } from "./png.ts";
 * const png = await encodePng({ width: 2, height: 1, channels: 3, data: new Uint8Array([255, 0, 0, 0, 0, 255]) });
 * console.log((await decodePng(png)).data); // Uint8Array [255, 0, 0, 0, 0, 255]
 * ```
 */
export async function encodePng(
  image: PngImage,
  options: { filter?: "adaptive" | "none" } = {},
): Promise<Uint8Array> {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`Cannot encode PNG: width and height must be positive integers, received ${width}×${height}`);
  }
  if (!(channels in COLOR_TYPE_BY_CHANNELS)) {
    throw new RangeError(`Cannot encode PNG: channels must be 1, 2, 3 or 4, received ${channels}`);
  }
  if (!(data instanceof Uint8Array) || data.length !== width * height * channels) {
    throw new RangeError(
      `Cannot encode PNG: data must be a Uint8Array of ${width}·${height}·${channels} = ${
        width * height * channels
      } bytes, received ${data?.length ?? typeof data}`,
    );
  }
  const stride = width * channels;
  const filtered = new Uint8Array(height * (stride + 1));
  const candidate = new Uint8Array(stride);
  const prevZero = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = data.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? data.subarray((y - 1) * stride, y * stride) : prevZero;
    const out = filtered.subarray(y * (stride + 1), (y + 1) * (stride + 1));
    if (options.filter === "none") {
      out[0] = 0;
      out.set(row, 1);
      continue;
    }
    let best = Infinity;
    for (let type = 0; type <= 4; type++) {
      let cost = 0;
      for (let i = 0; i < stride; i++) {
        const a = i >= channels ? row[i - channels] : 0;
        const b = prev[i];
        const c = i >= channels ? prev[i - channels] : 0;
        const v = (row[i] - predict(type, a, b, c)) & 0xff;
        candidate[i] = v;
        cost += v < 128 ? v : 256 - v;
      }
      if (cost < best) {
        best = cost;
        out[0] = type;
        out.set(candidate, 1);
      }
    }
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = COLOR_TYPE_BY_CHANNELS[channels];
  // compression 0, filter method 0, interlace 0
  const idat = await zlib(filtered, "compress");
  return concat([
    Uint8Array.from(SIGNATURE),
    chunk("IHDR", ihdr),
    chunk("IDAT", idat),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/**
 * Decodes a PNG file (8-bit, non-interlaced; CRCs are checked).
 *
 * @param bytes the file's bytes
 * @param name how errors name the file
 * @returns the image; palette images come back as RGB (RGBA with tRNS)
 * @example
 * ```ts
 * import { decodePng, encodePng } from "./png.ts";
 * const img = await decodePng(await encodePng({ width: 1, height: 1, channels: 1, data: new Uint8Array([7]) }));
 * console.log(img.channels, img.data[0]); // 1 7
 * ```
 */
export async function decodePng(bytes: Uint8Array, name = "PNG data"): Promise<PngImage> {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new TypeError(`Cannot decode ${name}: not a PNG file (bad signature)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | null = null;
  let palette: Uint8Array | null = null;
  let alpha: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (pos + 12 <= bytes.length) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    if (pos + 12 + length > bytes.length) {
      throw new RangeError(`Cannot decode ${name}: chunk ${type} of ${length} bytes runs past the end of the file`);
    }
    const body = bytes.subarray(pos + 8, pos + 8 + length);
    const crc = view.getUint32(pos + 8 + length);
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== crc) {
      throw new RangeError(`Cannot decode ${name}: CRC mismatch in chunk ${type} at byte ${pos}`);
    }
    pos += 12 + length;
    if (type === "IHDR") {
      const h = new DataView(body.buffer, body.byteOffset, body.byteLength);
      header = {
        width: h.getUint32(0),
        height: h.getUint32(4),
        bitDepth: body[8],
        colorType: body[9],
        interlace: body[12],
      };
    } else if (type === "PLTE") {
      palette = body.slice();
    } else if (type === "tRNS") {
      alpha = body.slice();
    } else if (type === "IDAT") {
      idat.push(body);
    } else if (type === "IEND") {
      ended = true;
      break;
    }
  }
  if (!header) throw new TypeError(`Cannot decode ${name}: no IHDR chunk`);
  if (!ended) throw new RangeError(`Cannot decode ${name}: truncated file (no IEND chunk)`);
  const { width, height, bitDepth, colorType, interlace } = header;
  const inChannels = CHANNELS_BY_COLOR_TYPE[colorType];
  if (inChannels === undefined) throw new TypeError(`Cannot decode ${name}: unknown colour type ${colorType}`);
  if (bitDepth !== 8) {
    throw new TypeError(`Cannot decode ${name}: bit depth ${bitDepth} is not supported (8-bit images only)`);
  }
  if (interlace !== 0) throw new TypeError(`Cannot decode ${name}: interlaced (Adam7) PNGs are not supported`);
  const raw = await zlib(concat(idat), "decompress");
  const stride = width * inChannels;
  if (raw.length < height * (stride + 1)) {
    throw new RangeError(
      `Cannot decode ${name}: image data has ${raw.length} bytes, expected ${height * (stride + 1)} for ${width}×${height}`,
    );
  }
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)];
    if (type > 4) throw new RangeError(`Cannot decode ${name}: row ${y} has unknown filter type ${type}`);
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= inChannels ? pixels[dst + i - inChannels] : 0;
      const b = y > 0 ? pixels[dst - stride + i] : 0;
      const c = y > 0 && i >= inChannels ? pixels[dst - stride + i - inChannels] : 0;
      pixels[dst + i] = (raw[src + i] + predict(type, a, b, c)) & 0xff;
    }
  }
  if (colorType !== 3) return { width, height, channels: inChannels as PngImage["channels"], data: pixels };
  if (!palette) throw new TypeError(`Cannot decode ${name}: palette image without a PLTE chunk`);
  const outChannels = alpha ? 4 : 3;
  const data = new Uint8Array(width * height * outChannels);
  for (let p = 0; p < width * height; p++) {
    const index = pixels[p];
    if (3 * index + 2 >= palette.length) {
      throw new RangeError(`Cannot decode ${name}: palette index ${index} outside a ${palette.length / 3}-entry palette`);
    }
    data[p * outChannels] = palette[3 * index];
    data[p * outChannels + 1] = palette[3 * index + 1];
    data[p * outChannels + 2] = palette[3 * index + 2];
    if (alpha) data[p * 4 + 3] = index < alpha.length ? alpha[index] : 255;
  }
  return { width, height, channels: outChannels, data };
}

/** The PNG filter predictors (§9.2): a left, b up, c up-left. */
function predict(type: number, a: number, b: number, c: number): number {
  switch (type) {
    case 0:
      return 0;
    case 1:
      return a;
    case 2:
      return b;
    case 3:
      return (a + b) >> 1;
    default: {
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
  }
}

async function zlib(bytes: Uint8Array, direction: "compress" | "decompress"): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    direction === "compress" ? new CompressionStream("deflate") : new DecompressionStream("deflate"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

let crcTable: Uint32Array | null = null;

/** CRC-32 (ISO-HDLC polynomial 0xEDB88320), as PNG chunks use. */
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
