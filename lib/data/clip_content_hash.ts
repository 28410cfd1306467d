/**
 * A content hash of a clip: SHA-256 over its header, its images as 8-bit
 * levels, its keypoints (float32 bytes) and visibility. The clip id is not
 * hashed, so the hash names the content wherever it is stored.
 *
 * @module
 */

import type { Clip } from "./clip.ts";
import { sha256Hex } from "../io/sha256_hex.ts";

/**
 * Hashes a clip's content.
 *
 * Hashed, in order: UTF-8 JSON of { frames, height, width, persons,
 * keypointsPerPerson, caption, categories }; round(255·x) bytes of video,
 * reference, skeleton, hands, body and mask; keypoints as little-endian
 * float32; visibility as bytes.
 *
 * @param clip the clip
 * @returns the lower-case hex SHA-256 digest
 * @example
 * ```ts
 * import { clipContentHash } from "./clip_content_hash.ts";
 * const n = 4;
 * const clip = { id: "a", frames: 1, height: 2, width: 2, video: new Float32Array(n * 3), reference: new Float32Array(n * 3),
 *   poses: { skeleton: new Float32Array(n * 3), hands: new Float32Array(n * 3), body: new Float32Array(n * 3) },
 *   mask: new Float32Array(n), persons: 0, keypointsPerPerson: 60, keypoints: new Float32Array(0), visibility: new Float32Array(0),
 *   caption: "x", categories: [] };
 * console.log((await clipContentHash(clip)).length); // 64
 * ```
 */
export async function clipContentHash(clip: Clip): Promise<string> {
  const header = new TextEncoder().encode(JSON.stringify({
    frames: clip.frames,
    height: clip.height,
    width: clip.width,
    persons: clip.persons,
    keypointsPerPerson: clip.keypointsPerPerson,
    caption: clip.caption,
    categories: clip.categories,
  }));
  const images = [clip.video, clip.reference, clip.poses.skeleton, clip.poses.hands, clip.poses.body, clip.mask];
  const kp = new Uint8Array(clip.keypoints.length * 4);
  const view = new DataView(kp.buffer);
  clip.keypoints.forEach((x, i) => view.setFloat32(i * 4, x, true));
  const total = header.length + images.reduce((a, x) => a + x.length, 0) + kp.length + clip.visibility.length;
  const buf = new Uint8Array(total);
  let o = 0;
  buf.set(header, o);
  o += header.length;
  for (const a of images) {
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      buf[o++] = x <= 0 ? 0 : x >= 1 ? 255 : Math.round(x * 255);
    }
  }
  buf.set(kp, o);
  o += kp.length;
  for (let i = 0; i < clip.visibility.length; i++) buf[o++] = clip.visibility[i] > 0 ? 1 : 0;
  return await sha256Hex(buf);
}
