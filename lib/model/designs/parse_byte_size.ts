/**
 * Parses a memory size: a number of bytes, or a number with a unit — decimal
 * kB/KB, MB, GB, TB (powers of 1000) or binary KiB, MiB, GiB, TiB (powers
 * of 1024), case-insensitive, optional space.
 *
 * References: IEC 80000-13 (binary prefixes).
 *
 * @module
 */

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/**
 * @param text e.g. "8GB", "512 MiB", "1e9"
 * @returns the size in bytes (rounded down to an integer)
 * @example
 * ```ts
 * import { parseByteSize } from "./parse_byte_size.ts";
 * console.log(parseByteSize("8GB"), parseByteSize("1 KiB")); // 8000000000 1024
 * ```
 */
export function parseByteSize(text: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-z]*)\s*$/i.exec(String(text));
  const unit = m ? (m[2] || "b").toLowerCase() : "";
  if (!m || !(unit in UNITS)) {
    throw new RangeError(
      `Cannot parse the memory size "${text}": expected a number with an optional unit B, kB, MB, GB, TB, KiB, MiB, GiB or TiB`,
    );
  }
  const bytes = Math.floor(Number(m[1]) * UNITS[unit]);
  if (!(bytes > 0) || !Number.isFinite(bytes)) {
    throw new RangeError(`Cannot parse the memory size "${text}": it must be > 0 bytes`);
  }
  return bytes;
}
