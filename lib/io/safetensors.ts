/**
 * Reading and writing safetensors files: F32/F16/BF16 (and, for reading,
 * U8/I8/I16/U16/I32/U32/I64/U64/F64/BOOL), all returned as float32.
 *
 * Reading treats the file as untrusted: the header length is bounded and must
 * lie within the file, the header must be a JSON object, every entry needs a
 * known dtype, a shape of non-negative integers and data_offsets inside the
 * data area, and the tensors must tile the data area exactly. Any violation,
 * truncation or I/O failure throws an `Error` whose message names the file
 * and the problem; nothing is returned partially.
 *
 * Writing sorts tensors by name in the header, lays the data out by element
 * width (widest first, then by name, so every tensor is aligned to its
 * element size as in the reference writer), pads the header with spaces to a
 * multiple of 8 bytes, and replaces the file atomically.
 *
 * References: huggingface/safetensors README "Format"; Rust `tensor.rs`.
 *
 * @module
 */

import { atomicWrite } from "./atomic_write.ts";
import { floatToBf16Bits, floatToHalfBits } from "./_float16.ts";
import {
  decodeData,
  define,
  DTYPE_BYTES,
  formatError,
  headerLength,
  type ParsedHeader,
  parseHeader,
} from "./_safetensors_format.ts";

/** One tensor as read: its stored dtype, its shape, and its values as float32. */
export interface LoadedTensor {
  dtype: string;
  shape: number[];
  data: Float32Array;
}

/** The content of a safetensors file. */
export interface SafetensorsContent {
  tensors: Record<string, LoadedTensor>;
  metadata: Record<string, string>;
}

/** dtypes the writer produces. */
export type WriteDtype = "F32" | "F16" | "BF16" | "U8";

/** One tensor to write. `dtype` defaults to F32 for Float32Array and U8 for Uint8Array. */
export interface TensorToWrite {
  shape: number[];
  data: Float32Array | Uint8Array;
  dtype?: WriteDtype;
}

/**
 * Decodes a safetensors file held in memory.
 *
 * @param bytes the whole file
 * @param name how the file is named in error messages
 * @returns tensors (values as float32) and metadata
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";
 * const bytes = encodeSafetensors({ w: { shape: [2], data: new Float32Array([1, 2]) } });
 * const { tensors } = decodeSafetensors(bytes);
 * console.log(tensors.w.data); // Float32Array [1, 2]
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array, name = "<bytes>"): SafetensorsContent {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(
      `Cannot decode safetensors ${JSON.stringify(name)}: expected a Uint8Array, received ${typeof bytes}`,
    );
  }
  const n = headerLength(bytes.subarray(0, 8), bytes.length, name);
  const header = parseHeader(bytes.subarray(8, 8 + n), bytes.length - 8 - n, name);
  const data = bytes.subarray(8 + n);
  return assemble(header, (e) => data.subarray(e.begin, e.end));
}

/**
 * Reads a safetensors file from disk, one tensor at a time (memory holds the
 * float32 result plus one tensor's raw bytes).
 *
 * @param path file to read
 * @returns tensors (values as float32) and metadata
 * @example
 * ```ts
 * import { readSafetensors, writeSafetensors } from "./safetensors.ts";
 * const path = `${await Deno.makeTempDir()}/a.safetensors`;
 * await writeSafetensors(path, { w: { shape: [1], data: new Float32Array([3]) } }, { step: "1" });
 * const { tensors, metadata } = await readSafetensors(path);
 * console.log(tensors.w.data[0], metadata.step); // 3 "1"
 * ```
 */
export async function readSafetensors(path: string): Promise<SafetensorsContent> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (e) {
    throw formatError(path, `cannot open file (${(e as Error).message})`, e);
  }
  try {
    const fileBytes = (await file.stat()).size;
    const n = headerLength(await readAt(file, 0, Math.min(8, fileBytes), path), fileBytes, path);
    const header = parseHeader(await readAt(file, 8, n, path), fileBytes - 8 - n, path);
    const raw = new Map<string, Uint8Array>();
    for (const e of header.entries) raw.set(e.name, await readAt(file, 8 + n + e.begin, e.end - e.begin, path));
    return assemble(header, (e) => {
      const bytes = raw.get(e.name)!;
      raw.delete(e.name); // release each raw buffer as soon as it is decoded
      return bytes;
    });
  } catch (e) {
    if (e instanceof Error && e.message.startsWith("Cannot read safetensors")) throw e;
    throw formatError(path, `I/O failed (${(e as Error)?.message ?? e})`, e);
  } finally {
    file.close();
  }
}

/**
 * Encodes tensors and metadata as safetensors bytes.
 *
 * @param tensors name → { shape, data, dtype? }; F16/BF16 round to nearest even
 * @param metadata optional string → string map stored as `__metadata__`
 * @returns the file's bytes
 * @example
 * ```ts
 * import { encodeSafetensors } from "./safetensors.ts";
 * const b = encodeSafetensors({ x: { shape: [1], data: new Float32Array([1]), dtype: "F16" } });
 * console.log(b.length % 8); // 2: header padded to 8, then 2 data bytes
 * ```
 */
export function encodeSafetensors(
  tensors: Record<string, TensorToWrite>,
  metadata?: Record<string, string>,
): Uint8Array {
  if (typeof tensors !== "object" || tensors === null) {
    throw new TypeError(`Cannot encode safetensors: tensors must be an object, received ${tensors}`);
  }
  const names = Object.keys(tensors).sort(compareCodeUnits);
  const items = names.map((name) => checkTensor(name, tensors[name]));
  // Data order: widest element first so each tensor is aligned to its width.
  const layout = [...items].sort((a, b) => b.width - a.width || compareCodeUnits(a.name, b.name));
  let offset = 0;
  const offsets = new Map<string, [number, number]>();
  for (const it of layout) {
    offsets.set(it.name, [offset, offset + it.byteLength]);
    offset += it.byteLength;
  }

  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    const meta: Record<string, string> = {};
    for (const k of Object.keys(metadata).sort(compareCodeUnits)) {
      if (typeof metadata[k] !== "string") {
        throw new TypeError(
          `Cannot encode safetensors metadata ${
            JSON.stringify(k)
          }: values must be strings, received ${typeof metadata[k]}`,
        );
      }
      define(meta, k, metadata[k]);
    }
    header.__metadata__ = meta;
  }
  for (const it of items) {
    define(header, it.name, { dtype: it.dtype, shape: it.shape, data_offsets: offsets.get(it.name) });
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20); // spaces
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  const dataStart = 8 + json.length;
  for (const it of layout) it.encode(out, dataStart + offsets.get(it.name)![0]);
  return out;
}

/**
 * Writes tensors and metadata to a safetensors file atomically.
 *
 * @param path destination (replaced whole, or left untouched on failure)
 * @param tensors name → { shape, data, dtype? }
 * @param metadata optional string → string map
 * @returns resolves when the file is in place
 * @example
 * ```ts
 * import { writeSafetensors } from "./safetensors.ts";
 * const path = `${await Deno.makeTempDir()}/w.safetensors`;
 * await writeSafetensors(path, { w: { shape: [2, 2], data: new Float32Array(4), dtype: "BF16" } });
 * ```
 */
export async function writeSafetensors(
  path: string,
  tensors: Record<string, TensorToWrite>,
  metadata?: Record<string, string>,
): Promise<void> {
  await atomicWrite(path, encodeSafetensors(tensors, metadata));
}

interface CheckedTensor {
  name: string;
  dtype: WriteDtype;
  shape: number[];
  width: number;
  byteLength: number;
  encode: (out: Uint8Array, at: number) => void;
}

function checkTensor(name: string, t: TensorToWrite): CheckedTensor {
  const where = `Cannot encode tensor ${JSON.stringify(name)}`;
  if (name === "__metadata__") throw new RangeError(`${where}: the name is reserved for metadata`);
  if (typeof t !== "object" || t === null) throw new TypeError(`${where}: expected { shape, data }, received ${t}`);
  const { shape, data } = t;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new RangeError(`${where}: shape must be non-negative integers, received ${JSON.stringify(shape)}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (!(data instanceof Float32Array) && !(data instanceof Uint8Array)) {
    throw new TypeError(
      `${where}: data must be a Float32Array or Uint8Array, received ${Object.prototype.toString.call(data)}`,
    );
  }
  if (data.length !== size) {
    throw new RangeError(`${where}: shape [${shape.join(", ")}] holds ${size} values but data has ${data.length}`);
  }
  const dtype: WriteDtype = t.dtype ?? (data instanceof Uint8Array ? "U8" : "F32");
  if (!["F32", "F16", "BF16", "U8"].includes(dtype)) {
    throw new RangeError(`${where}: dtype must be F32, F16, BF16 or U8, received ${JSON.stringify(dtype)}`);
  }
  if (data instanceof Uint8Array && dtype !== "U8") {
    throw new TypeError(`${where}: Uint8Array data can only be written as U8, received dtype ${dtype}`);
  }
  if (dtype === "U8" && data instanceof Float32Array) {
    const bad = data.findIndex((v) => !(Number.isInteger(v) && v >= 0 && v <= 255));
    if (bad >= 0) {
      throw new RangeError(`${where}: U8 values must be integers in [0, 255], received ${data[bad]} at index ${bad}`);
    }
  }
  const width = DTYPE_BYTES[dtype];
  const encode = (out: Uint8Array, at: number) => {
    const view = new DataView(out.buffer, out.byteOffset + at, size * width);
    if (dtype === "U8") out.set(data, at);
    else if (dtype === "F32" && LITTLE_ENDIAN) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    } else if (dtype === "F32") { for (let i = 0; i < size; i++) view.setFloat32(4 * i, data[i], true); }
    else if (dtype === "F16") { for (let i = 0; i < size; i++) view.setUint16(2 * i, floatToHalfBits(data[i]), true); }
    else for (let i = 0; i < size; i++) view.setUint16(2 * i, floatToBf16Bits(data[i]), true);
  };
  return { name, dtype, shape: [...shape], width, byteLength: size * width, encode };
}

function assemble(
  header: ParsedHeader,
  bytesOf: (e: ParsedHeader["entries"][number]) => Uint8Array,
): SafetensorsContent {
  const tensors: Record<string, LoadedTensor> = {};
  for (const e of header.entries) {
    define(tensors, e.name, { dtype: e.dtype, shape: e.shape, data: decodeData(bytesOf(e), e.dtype, e.size) });
  }
  return { tensors, metadata: header.metadata };
}

async function readAt(file: Deno.FsFile, position: number, length: number, path: string): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  await file.seek(position, Deno.SeekMode.Start);
  let got = 0;
  while (got < length) {
    const n = await file.read(buf.subarray(got));
    if (n === null) {
      throw formatError(
        path,
        `file ended after ${
          position + got
        } bytes while reading ${length} bytes at ${position} (truncated or changed while reading?)`,
      );
    }
    got += n;
  }
  return buf;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
