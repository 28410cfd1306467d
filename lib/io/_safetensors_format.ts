/**
 * The safetensors container, validated as if every file were hostile.
 *
 * Layout: 8 bytes little-endian u64 N, then N bytes of UTF-8 JSON (an object
 * mapping tensor names to `{ dtype, shape, data_offsets }`, plus an optional
 * `__metadata__` string→string map), then the data area. Offsets are relative
 * to the start of the data area; the tensors must tile it exactly.
 *
 * References: huggingface/safetensors README "Format" and its Rust
 * `tensor.rs` validation (MAX_HEADER_SIZE = 100 000 000, no holes, no overlap).
 */

import { bf16ToF32, f16ToF32 } from "./_float16.ts";

/** Largest header accepted, in bytes (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100_000_000;

/** Bytes per element of each dtype the reader understands. */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

/** One validated header entry. */
export interface HeaderEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Element count, prod(shape). */
  size: number;
  /** Byte range in the data area, [begin, end). */
  begin: number;
  end: number;
}

/** A validated header: entries in data order, and the metadata map. */
export interface ParsedHeader {
  entries: HeaderEntry[];
  metadata: Record<string, string>;
}

/** Error naming the file and the problem. */
export function formatError(file: string, problem: string, cause?: unknown): Error {
  return new Error(
    `Cannot read safetensors ${JSON.stringify(file)}: ${problem}`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Reads and bounds the 8-byte header length.
 * @param prefix the first 8 bytes of the file
 * @param fileBytes total file length
 * @param file name used in errors
 * @returns the header length N, with 8 + N <= fileBytes
 */
export function headerLength(prefix: Uint8Array, fileBytes: number, file: string): number {
  if (fileBytes < 8 || prefix.length < 8) {
    throw formatError(file, `file is ${fileBytes} bytes, shorter than the 8-byte header length field`);
  }
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw formatError(file, `header length ${n} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  }
  const len = Number(n);
  if (8 + len > fileBytes) {
    throw formatError(file, `header length ${len} runs past the end of the ${fileBytes}-byte file (truncated?)`);
  }
  if (len < 2) throw formatError(file, `header length ${len} is too short for a JSON object`);
  return len;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Parses and validates the JSON header against the data area.
 * @param json the N header bytes
 * @param dataBytes length of the data area (file length - 8 - N)
 * @param file name used in errors
 * @returns the entries sorted by offset, and the metadata
 */
export function parseHeader(json: Uint8Array, dataBytes: number, file: string): ParsedHeader {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(json);
  } catch (e) {
    throw formatError(file, "header is not valid UTF-8", e);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw formatError(file, `header is not valid JSON (${(e as Error).message})`, e);
  }
  if (!isObject(raw)) throw formatError(file, "header JSON must be an object of tensor entries");

  const metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (name === "__metadata__") {
      if (!isObject(value)) throw formatError(file, "__metadata__ must be an object of strings");
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== "string") {
          throw formatError(file, `__metadata__ entry ${JSON.stringify(k)} must be a string, received ${typeof v}`);
        }
        define(metadata, k, v);
      }
      continue;
    }
    const where = `tensor ${JSON.stringify(name)}`;
    if (!isObject(value)) throw formatError(file, `${where} must be an object with dtype, shape, data_offsets`);
    const { dtype, shape, data_offsets: offsets } = value;
    if (typeof dtype !== "string") throw formatError(file, `${where} has no string dtype`);
    const width = Object.hasOwn(DTYPE_BYTES, dtype) ? DTYPE_BYTES[dtype] : undefined;
    if (width === undefined) {
      throw formatError(
        file,
        `${where} has unsupported dtype ${JSON.stringify(dtype).slice(0, 40)}: expected one of ${
          Object.keys(DTYPE_BYTES).join(", ")
        }`,
      );
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) {
      throw formatError(file, `${where} shape must be an array of non-negative integers, received ${clip(shape)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
      throw formatError(
        file,
        `${where} data_offsets must be [begin, end] non-negative integers, received ${clip(offsets)}`,
      );
    }
    const [begin, end] = offsets as number[];
    if (begin > end || end > dataBytes) {
      throw formatError(file, `${where} data_offsets [${begin}, ${end}] lie outside the ${dataBytes}-byte data area`);
    }
    // prod(shape) with an early exit: anything larger than the data area is wrong anyway.
    let size = 1;
    for (const d of shape as number[]) {
      size *= d;
      if (size > dataBytes) break;
    }
    if (shape.includes(0)) size = 0;
    if (size * width !== end - begin) {
      throw formatError(
        file,
        `${where} has shape [${shape.join(", ")}] of ${dtype} needing ${
          size * width
        } bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`,
      );
    }
    entries.push({ name, dtype, shape: shape as number[], size, begin, end });
  }

  // The tensors must tile the data area: no overlap, no hole, nothing left over.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of entries) {
    if (e.begin < cursor) {
      throw formatError(
        file,
        `tensor ${
          JSON.stringify(e.name)
        } data_offsets [${e.begin}, ${e.end}] overlap an earlier tensor ending at ${cursor}`,
      );
    }
    if (e.begin > cursor) {
      throw formatError(
        file,
        `data area has a hole at bytes [${cursor}, ${e.begin}) before tensor ${JSON.stringify(e.name)}`,
      );
    }
    cursor = e.end;
  }
  if (cursor !== dataBytes) {
    throw formatError(
      file,
      `tensors cover ${cursor} bytes but the data area holds ${dataBytes} (trailing or missing bytes)`,
    );
  }
  return { entries, metadata };
}

/**
 * Decodes one tensor's bytes to float32.
 * @param bytes exactly `size · width` bytes, any alignment
 * @param dtype a key of DTYPE_BYTES
 * @returns a fresh Float32Array
 */
export function decodeData(bytes: Uint8Array, dtype: string, size: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case "F32": {
      const out = new Float32Array(size);
      if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes);
      else for (let i = 0; i < size; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    }
    case "F16":
    case "BF16": {
      const bits = new Uint16Array(size);
      if (LITTLE_ENDIAN) new Uint8Array(bits.buffer).set(bytes);
      else for (let i = 0; i < size; i++) bits[i] = view.getUint16(2 * i, true);
      return dtype === "F16" ? f16ToF32(bits) : bf16ToF32(bits);
    }
  }
  const out = new Float32Array(size);
  const read = READERS[dtype];
  for (let i = 0; i < size; i++) out[i] = read(view, i);
  return out;
}

const READERS: Record<string, (v: DataView, i: number) => number> = {
  BOOL: (v, i) => (v.getUint8(i) ? 1 : 0),
  U8: (v, i) => v.getUint8(i),
  I8: (v, i) => v.getInt8(i),
  I16: (v, i) => v.getInt16(2 * i, true),
  U16: (v, i) => v.getUint16(2 * i, true),
  I32: (v, i) => v.getInt32(4 * i, true),
  U32: (v, i) => v.getUint32(4 * i, true),
  I64: (v, i) => Number(v.getBigInt64(8 * i, true)),
  U64: (v, i) => Number(v.getBigUint64(8 * i, true)),
  F64: (v, i) => v.getFloat64(8 * i, true),
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Sets an own enumerable property even for names such as "__proto__". */
export function define<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function clip(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
