/**
 * Runs a feature network over a video batch: per frame for image networks,
 * per clip (averaged per video) for video networks.
 *
 * References: pytorch-fid (features of every image); StyleGAN-V FVD (I3D on
 * 16-frame clips).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { FeatureNetwork } from "./feature_network.ts";
import type { Features } from "./features.ts";
import { toVideo, type Video, type VideoLike } from "./video.ts";

/** Options of {@link embedVideos}. */
export interface EmbedVideosOptions {
  /**
   * Video networks: "average" embeds every complete, non-overlapping window
   * of clipLength frames and averages the features per video (for 16-frame
   * videos this is the one clip); "first" embeds only the first window.
   */
  clips?: "average" | "first";
  /** Frames (image networks) or clips (video networks) turned into one tensor at a time (default 64). */
  chunk?: number;
}

/**
 * Features of a video batch: [N·F, D] (row n·F + f is frame f of video n)
 * for image networks, [N, D] for video networks.
 *
 * @param videos [N, F, H, W, C] in [0, 1] (uint8 divided by 255; grey repeated to RGB)
 * @param network the feature network
 * @param options clip handling and chunk size
 * @returns the features
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { embedVideos } from "./embed_videos.ts";
 * import { featureNetworkFromParams } from "./feature_network_from_params.ts";
 * const net = featureNetworkFromParams({}, (_, x) => tf.mean(x, [1, 2]), { name: "mean-rgb", kind: "image", inputSize: [2, 2], normalize: "unit" });
 * const f = await embedVideos({ data: new Float32Array(2 * 2 * 2 * 3).fill(0.5), shape: [1, 2, 2, 2, 3] }, net);
 * console.log(f.shape); // [2, 3]
 * ```
 */
export async function embedVideos(
  videos: VideoLike,
  network: FeatureNetwork,
  options: EmbedVideosOptions = {},
): Promise<Features> {
  const v = toVideo(videos, "videos");
  const [n, f] = v.shape;
  const chunk = options.chunk ?? 64;
  if (!Number.isInteger(chunk) || chunk < 1) {
    throw new RangeError(`Cannot embed videos: chunk must be a positive integer, received ${chunk}`);
  }
  if (network.kind === "image") {
    const total = n * f;
    const parts: Features[] = [];
    for (let start = 0; start < total; start += chunk) {
      const frames = framesTensor(v, start, Math.min(chunk, total - start));
      try {
        parts.push(await network.embed(frames));
      } finally {
        frames.dispose();
      }
    }
    return concatRows(parts);
  }
  const t = network.clipLength ?? 16;
  if (f < t) {
    throw new RangeError(
      `Cannot embed videos with ${network.name}: it takes ${t}-frame clips but the videos have ${f} frames (shape [${v.shape}])`,
    );
  }
  const windows = options.clips === "first" ? 1 : Math.floor(f / t);
  // Every (video, window) clip as one row; clips are gathered `chunk` at a time.
  const clipIds: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let k = 0; k < windows; k++) clipIds.push([i, k * t]);
  const parts: Features[] = [];
  for (let start = 0; start < clipIds.length; start += chunk) {
    const ids = clipIds.slice(start, start + chunk);
    const clips = tf.tidy(() =>
      tf.stack(ids.map(([i, s]) => {
        const frames = framesTensor(v, i * f + s, t);
        return frames;
      }))
    ); // (clips, T, H, W, 3)
    try {
      parts.push(await network.embed(clips));
    } finally {
      clips.dispose();
    }
  }
  const perClip = concatRows(parts);
  const d = perClip.shape[1];
  const out = new Float32Array(n * d);
  for (let c = 0; c < clipIds.length; c++) {
    const i = clipIds[c][0];
    for (let j = 0; j < d; j++) out[i * d + j] += perClip.data[c * d + j] / windows;
  }
  return { data: out, shape: [n, d] };
}

/** Frames [start, start + count) of the flattened N·F frame list as float32 RGB [count, H, W, 3] in [0, 1]. */
function framesTensor(v: Video, start: number, count: number): tf.Tensor4D {
  const [, , h, w, c] = v.shape;
  const frameSize = h * w * c;
  const src = v.data.subarray(start * frameSize, (start + count) * frameSize);
  const rgb = new Float32Array(count * h * w * 3);
  const scale = v.data instanceof Uint8Array ? 1 / 255 : 1;
  if (c === 3) {
    for (let i = 0; i < src.length; i++) rgb[i] = src[i] * scale;
  } else {
    for (let p = 0; p < src.length; p++) {
      const x = src[p] * scale;
      rgb[3 * p] = x;
      rgb[3 * p + 1] = x;
      rgb[3 * p + 2] = x;
    }
  }
  return tf.tensor4d(rgb, [count, h, w, 3]);
}

function concatRows(parts: Features[]): Features {
  const d = parts[0].shape[1];
  const rows = parts.reduce((s, p) => s + p.shape[0], 0);
  const data = new Float32Array(rows * d);
  let off = 0;
  for (const p of parts) {
    data.set(p.data, off);
    off += p.data.length;
  }
  return { data, shape: [rows, d] };
}
