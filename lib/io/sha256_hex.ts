/**
 * SHA-256 of bytes as lowercase hex: the content hashes of clips, cache keys,
 * weight files and cache entries all use this one digest.
 *
 * References: FIPS 180-4 (SHA-256) through Web Crypto's `crypto.subtle.digest`.
 */

/**
 * @param bytes the data
 * @returns 64 lowercase hex digits
 * @example
 * ```ts
 * import { sha256Hex } from "./sha256_hex.ts";
 * console.log(await sha256Hex(new TextEncoder().encode("abc")));
 * // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(h, (b) => b.toString(16).padStart(2, "0")).join("");
}
