/**
 * Reads clip shards written by `writeClipShard` (format
 * "workbench-clips-v1"); U8 images come back as exact k/255 float32 levels.
 *
 * @module
 */

import { decodeSafetensors, type LoadedTensor } from "../io/safetensors.ts";
import type { Clip } from "./clip.ts";
import { CLIP_SHARD_FORMAT } from "./write_clip_shard.ts";

/** A decoded shard. */
export interface ClipShard {
  clips: Clip[];
  /** All metadata entries, including `format` and `clips`. */
  metadata: Record<string, string>;
}

const LEVELS = Float32Array.from({ length: 256 }, (_, k) => k / 255);

/**
 * Decodes a shard held in memory.
 *
 * @param bytes the safetensors bytes
 * @param name how the shard is named in error messages
 * @returns the clips and metadata
 * @example
 * ```ts
 * import { decodeClipShard } from "./read_clip_shard.ts";
 * import { encodeClipShard } from "./write_clip_shard.ts";
 * const n = 4;
 * const clip = { id: "a", frames: 1, height: 2, width: 2, video: new Float32Array(n * 3), reference: new Float32Array(n * 3),
 *   poses: { skeleton: new Float32Array(n * 3), hands: new Float32Array(n * 3), body: new Float32Array(n * 3) },
 *   mask: new Float32Array(n), persons: 0, keypointsPerPerson: 60, keypoints: new Float32Array(0), visibility: new Float32Array(0),
 *   caption: "x", categories: [] };
 * console.log(decodeClipShard(encodeClipShard([clip])).clips[0].caption); // "x"
 * ```
 */
export function decodeClipShard(bytes: Uint8Array, name = "<bytes>"): ClipShard {
  const { tensors, metadata } = decodeSafetensors(bytes, name);
  if (metadata.format !== CLIP_SHARD_FORMAT) {
    throw new TypeError(
      `Cannot read clip shard ${name}: metadata format must be ${JSON.stringify(CLIP_SHARD_FORMAT)}, received ${
        JSON.stringify(metadata.format)
      }`,
    );
  }
  let list: Array<{ id: string; caption: string; categories: string[]; persons: number }>;
  try {
    list = JSON.parse(metadata.clips);
  } catch {
    throw new TypeError(`Cannot read clip shard ${name}: metadata "clips" is not valid JSON`);
  }
  const K = Number(metadata.keypoints_per_person);
  const need = (k: string, rank: number): LoadedTensor => {
    const t = tensors[k];
    if (!t || t.shape.length !== rank || t.shape[0] !== list.length) {
      throw new TypeError(
        `Cannot read clip shard ${name}: tensor ${k} must have rank ${rank} and ${list.length} clips, received ${
          t ? `shape [${t.shape}]` : "nothing"
        }`,
      );
    }
    return t;
  };
  const video = need("video", 5);
  const [, F, H, W] = video.shape;
  const reference = need("reference", 4),
    skeleton = need("skeleton", 5),
    hands = need("hands", 5),
    body = need("body", 5);
  const mask = need("mask", 4);
  const keypoints = tensors.keypoints ? need("keypoints", 5) : null;
  const visibility = tensors.visibility ? need("visibility", 4) : null;
  const referenceMask = tensors.reference_mask ? need("reference_mask", 3) : null;
  const P = keypoints ? keypoints.shape[2] : 0;
  const img = F * H * W * 3;
  const levels = (t: LoadedTensor, i: number, per: number) => {
    const out = new Float32Array(per);
    const src = t.data.subarray(i * per, (i + 1) * per);
    for (let k = 0; k < per; k++) out[k] = LEVELS[src[k]];
    return out;
  };
  const clips = list.map((m, i): Clip => {
    const kp = new Float32Array(F * m.persons * K * 2);
    const vis = new Float32Array(F * m.persons * K);
    if (keypoints && visibility) {
      for (let f = 0; f < F; f++) {
        for (let p = 0; p < m.persons; p++) {
          const src = ((i * F + f) * P + p) * K, dst = (f * m.persons + p) * K;
          kp.set(keypoints.data.subarray(src * 2, (src + K) * 2), dst * 2);
          vis.set(visibility.data.subarray(src, src + K), dst);
        }
      }
    }
    return {
      id: m.id,
      frames: F,
      height: H,
      width: W,
      video: levels(video, i, img),
      reference: levels(reference, i, H * W * 3),
      poses: { skeleton: levels(skeleton, i, img), hands: levels(hands, i, img), body: levels(body, i, img) },
      mask: levels(mask, i, F * H * W).map((x) => (x > 0 ? 1 : 0)),
      persons: m.persons,
      keypointsPerPerson: K,
      keypoints: kp,
      visibility: vis,
      caption: m.caption,
      categories: m.categories,
      ...(referenceMask ? { referenceMask: levels(referenceMask, i, H * W).map((x) => (x > 0 ? 1 : 0)) } : {}),
    };
  });
  return { clips, metadata };
}

/**
 * Reads a shard file.
 *
 * @param path a `.safetensors` shard
 * @returns the clips and metadata
 * @example
 * ```ts
 * import { readClipShard } from "./read_clip_shard.ts";
 * import { writeClipShard } from "./write_clip_shard.ts";
 * const n = 4, path = `${await Deno.makeTempDir()}/shard-0000.safetensors`;
 * const clip = { id: "a", frames: 1, height: 2, width: 2, video: new Float32Array(n * 3), reference: new Float32Array(n * 3),
 *   poses: { skeleton: new Float32Array(n * 3), hands: new Float32Array(n * 3), body: new Float32Array(n * 3) },
 *   mask: new Float32Array(n), persons: 0, keypointsPerPerson: 60, keypoints: new Float32Array(0), visibility: new Float32Array(0),
 *   caption: "x", categories: [] };
 * await writeClipShard(path, [clip]);
 * console.log((await readClipShard(path)).clips.length); // 1
 * ```
 */
export async function readClipShard(path: string): Promise<ClipShard> {
  return decodeClipShard(await Deno.readFile(path), path);
}

/** Size information of a shard, read from its header alone. */
export interface ClipShardIndex {
  count: number;
  /** The clips' ids, in the shard's order. */
  ids: string[];
  frames: number;
  height: number;
  width: number;
}

/**
 * Reads only the header of a shard: clip count, ids and clip size.
 *
 * @param path a `.safetensors` shard
 * @returns count, ids, frames, height, width
 * @example
 * ```ts
 * import { readClipShardIndex } from "./read_clip_shard.ts";
 * import { writeClipShard } from "./write_clip_shard.ts";
 * const n = 4, path = `${await Deno.makeTempDir()}/shard-0000.safetensors`;
 * const clip = { id: "a", frames: 1, height: 2, width: 2, video: new Float32Array(n * 3), reference: new Float32Array(n * 3),
 *   poses: { skeleton: new Float32Array(n * 3), hands: new Float32Array(n * 3), body: new Float32Array(n * 3) },
 *   mask: new Float32Array(n), persons: 0, keypointsPerPerson: 60, keypoints: new Float32Array(0), visibility: new Float32Array(0),
 *   caption: "x", categories: [] };
 * await writeClipShard(path, [clip]);
 * console.log(await readClipShardIndex(path)); // { count: 1, ids: ["a"], frames: 1, height: 2, width: 2 }
 * ```
 */
export async function readClipShardIndex(path: string): Promise<ClipShardIndex> {
  const file = await Deno.open(path, { read: true });
  try {
    const head = new Uint8Array(8);
    if ((await file.read(head)) !== 8) throw new TypeError(`Cannot read clip shard ${path}: shorter than 8 bytes`);
    const n = Number(new DataView(head.buffer).getBigUint64(0, true));
    const { size } = await file.stat();
    if (n < 2 || n > 100_000_000 || 8 + n > size) {
      throw new TypeError(`Cannot read clip shard ${path}: header length ${n} does not fit a file of ${size} bytes`);
    }
    const json = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const r = await file.read(json.subarray(o));
      if (r === null) throw new TypeError(`Cannot read clip shard ${path}: header truncated`);
      o += r;
    }
    const header = JSON.parse(new TextDecoder().decode(json));
    const meta = header.__metadata__ ?? {};
    if (meta.format !== CLIP_SHARD_FORMAT || !header.video) {
      throw new TypeError(`Cannot read clip shard ${path}: not a ${CLIP_SHARD_FORMAT} shard`);
    }
    const [count, frames, height, width] = header.video.shape as number[];
    let ids: string[];
    try {
      ids = (JSON.parse(meta.clips) as { id: string }[]).map((c) => c.id);
    } catch {
      throw new TypeError(`Cannot read clip shard ${path}: metadata "clips" is not valid JSON`);
    }
    if (ids.length !== count) throw new TypeError(`Cannot read clip shard ${path}: ${ids.length} clip entries for ${count} clips`);
    return { count, ids, frames, height, width };
  } finally {
    file.close();
  }
}
