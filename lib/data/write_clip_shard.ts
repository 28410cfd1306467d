/**
 * Clip shards: several clips of one size in one safetensors file, images as
 * U8 (k/255 levels), keypoints as F32, so any safetensors reader (Python
 * `safetensors`, numpy) can open them. This is the on-disk format of the
 * synthetic cache and of `{ kind: "folder" }` datasets.
 *
 * Tensors (n clips, P = most persons in the shard, K keypoints per person):
 * `video`, `skeleton`, `hands`, `body` U8 [n, F, H, W, 3]; `reference` U8
 * [n, H, W, 3]; `mask` U8 [n, F, H, W]; `keypoints` F32 [n, F, P, K, 2] and
 * `visibility` U8 [n, F, P, K] (zero-padded beyond a clip's persons; absent
 * when P = 0); `reference_mask` U8 [n, H, W] when every clip has a
 * `referenceMask` (ingested videos). Metadata: `format` = "workbench-clips-v1", `clips` = JSON list
 * of { id, caption, categories, persons }, `keypoints_per_person`, plus the
 * caller's entries.
 *
 * References: huggingface/safetensors README "Format".
 *
 * @module
 */

import { encodeSafetensors, type TensorToWrite } from "../io/safetensors.ts";
import { atomicWrite } from "../io/atomic_write.ts";
import { assertClip, type Clip } from "./clip.ts";

/** Value of the `format` metadata entry. */
export const CLIP_SHARD_FORMAT = "workbench-clips-v1";

/**
 * Encodes clips as a shard in memory.
 *
 * @param clips one or more clips of equal frames/height/width/keypointsPerPerson
 * @param metadata extra string metadata (must not use the reserved keys format, clips, keypoints_per_person)
 * @returns the safetensors bytes
 * @example
 * ```ts
 * import { encodeClipShard } from "./write_clip_shard.ts";
 * import { decodeClipShard } from "./read_clip_shard.ts";
 * const n = 2 * 2;
 * const clip = { id: "a", frames: 1, height: 2, width: 2, video: new Float32Array(n * 3).fill(1), reference: new Float32Array(n * 3),
 *   poses: { skeleton: new Float32Array(n * 3), hands: new Float32Array(n * 3), body: new Float32Array(n * 3) },
 *   mask: new Float32Array(n), persons: 0, keypointsPerPerson: 60, keypoints: new Float32Array(0), visibility: new Float32Array(0),
 *   caption: "x", categories: [] };
 * console.log(decodeClipShard(encodeClipShard([clip])).clips[0].video[0]); // 1
 * ```
 */
export function encodeClipShard(clips: readonly Clip[], metadata: Record<string, string> = {}): Uint8Array {
  if (clips.length === 0) throw new RangeError("Cannot write a clip shard: received 0 clips, expected at least 1");
  for (const k of ["format", "clips", "keypoints_per_person"]) {
    if (k in metadata) throw new TypeError(`Cannot write a clip shard: metadata key ${JSON.stringify(k)} is reserved`);
  }
  const c0 = clips[0];
  const { frames: F, height: H, width: W, keypointsPerPerson: K } = c0;
  for (const c of clips) {
    assertClip(c);
    if (c.frames !== F || c.height !== H || c.width !== W || c.keypointsPerPerson !== K) {
      throw new RangeError(
        `Cannot write a clip shard of mixed sizes: ${c0.id} is ${F}x${H}x${W} (K=${K}), ${c.id} is ${c.frames}x${c.height}x${c.width} (K=${c.keypointsPerPerson})`,
      );
    }
  }
  const n = clips.length;
  const P = Math.max(...clips.map((c) => c.persons));
  const u8 = (get: (c: Clip) => Float32Array, per: number, shape: number[]): TensorToWrite => {
    const out = new Uint8Array(n * per);
    clips.forEach((c, i) => {
      const src = get(c);
      for (let k = 0; k < per; k++) {
        const x = src[k];
        out[i * per + k] = x <= 0 ? 0 : x >= 1 ? 255 : Math.round(x * 255);
      }
    });
    return { shape: [n, ...shape], data: out, dtype: "U8" };
  };
  const img = F * H * W * 3;
  const tensors: Record<string, TensorToWrite> = {
    video: u8((c) => c.video, img, [F, H, W, 3]),
    reference: u8((c) => c.reference, H * W * 3, [H, W, 3]),
    skeleton: u8((c) => c.poses.skeleton, img, [F, H, W, 3]),
    hands: u8((c) => c.poses.hands, img, [F, H, W, 3]),
    body: u8((c) => c.poses.body, img, [F, H, W, 3]),
    mask: u8((c) => c.mask, F * H * W, [F, H, W]),
  };
  if (clips.every((c) => c.referenceMask)) tensors.reference_mask = u8((c) => c.referenceMask!, H * W, [H, W]);
  if (P > 0) {
    const kp = new Float32Array(n * F * P * K * 2);
    const vis = new Uint8Array(n * F * P * K);
    clips.forEach((c, i) => {
      for (let f = 0; f < F; f++) {
        for (let p = 0; p < c.persons; p++) {
          const src = (f * c.persons + p) * K, dst = ((i * F + f) * P + p) * K;
          kp.set(c.keypoints.subarray(src * 2, (src + K) * 2), dst * 2);
          for (let k = 0; k < K; k++) vis[dst + k] = c.visibility[src + k] > 0 ? 1 : 0;
        }
      }
    });
    tensors.keypoints = { shape: [n, F, P, K, 2], data: kp, dtype: "F32" };
    tensors.visibility = { shape: [n, F, P, K], data: vis, dtype: "U8" };
  }
  const list = clips.map((c) => ({ id: c.id, caption: c.caption, categories: c.categories, persons: c.persons }));
  return encodeSafetensors(tensors, {
    ...metadata,
    format: CLIP_SHARD_FORMAT,
    clips: JSON.stringify(list),
    keypoints_per_person: String(K),
  });
}

/**
 * Writes clips as a shard file (atomically).
 *
 * @param path destination `.safetensors` path
 * @param clips clips of one size
 * @param metadata extra string metadata
 * @returns resolves when the file is in place
 * @example
 * ```ts
 * import { writeClipShard } from "./write_clip_shard.ts";
 * const n = 4;
 * const clip = { id: "a", frames: 1, height: 2, width: 2, video: new Float32Array(n * 3), reference: new Float32Array(n * 3),
 *   poses: { skeleton: new Float32Array(n * 3), hands: new Float32Array(n * 3), body: new Float32Array(n * 3) },
 *   mask: new Float32Array(n), persons: 0, keypointsPerPerson: 60, keypoints: new Float32Array(0), visibility: new Float32Array(0),
 *   caption: "x", categories: [] };
 * await writeClipShard(`${await Deno.makeTempDir()}/shard-0000.safetensors`, [clip]);
 * ```
 */
export async function writeClipShard(
  path: string,
  clips: readonly Clip[],
  metadata: Record<string, string> = {},
): Promise<void> {
  await atomicWrite(path, encodeClipShard(clips, metadata));
}
