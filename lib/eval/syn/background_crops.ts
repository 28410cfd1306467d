/**
 * Background views: whole frames with a per-video hole (see maskUnion)
 * filled with flat grey, so that the `-syn` background metrics compare the
 * scene without the character (the role CLIP / DreamSim features of whole
 * frames play in VBench).
 *
 * References: VBench background_consistency.py (CLIP) and
 * vbench2_beta_i2v i2v_background.py (DreamSim).
 */
import { toVideo, type Video, type VideoLike } from "../video.ts";
import { rgbFrame } from "./_pixels.ts";

/** Options of {@link backgroundCrops}. */
export interface BackgroundCropsOptions {
  /** Grey level of the hole (default 0.5). */
  fill?: number;
}

/**
 * @param videos [N, F, H, W, C] in [0, 1] (or 8-bit)
 * @param holes [N, H, W], 1 where the character is (or may be) in any frame
 * @param options the fill level
 * @returns float RGB videos [N, F, H, W, 3] with the hole filled
 * @example
 * ```ts
 * import { backgroundCrops } from "./background_crops.ts";
 * const v = { data: new Float32Array([1, 1, 1, 0, 0, 0]), shape: [1, 1, 1, 2, 3] as [number, number, number, number, number] };
 * const holes = { data: new Float32Array([1, 0]), shape: [1, 1, 2] as [number, number, number] };
 * console.log(Array.from(backgroundCrops(v, holes).data)); // [0.5, 0.5, 0.5, 0, 0, 0]
 * ```
 */
export function backgroundCrops(
  videos: VideoLike,
  holes: { data: Float32Array | Uint8Array; shape: [number, number, number] },
  options: BackgroundCropsOptions = {},
): Video {
  const v = toVideo(videos, "videos");
  const [n, f, h, w] = v.shape;
  if (holes?.shape?.[0] !== n || holes.shape[1] !== h || holes.shape[2] !== w || holes.data.length !== n * h * w) {
    throw new RangeError(
      `Cannot blank backgrounds: holes must be [${n}, ${h}, ${w}] for videos [${v.shape}], received [${holes?.shape}]`,
    );
  }
  const fill = options.fill ?? 0.5;
  const px = h * w;
  const out = new Float32Array(n * f * px * 3);
  for (let i = 0; i < n; i++) {
    const hole = holes.data.subarray(i * px, (i + 1) * px);
    for (let t = 0; t < f; t++) {
      const frame = rgbFrame(v, i, t);
      for (let p = 0; p < px; p++) {
        if (hole[p] > 0.5) frame[3 * p] = frame[3 * p + 1] = frame[3 * p + 2] = fill;
      }
      out.set(frame, (i * f + t) * px * 3);
    }
  }
  return { data: out, shape: [n, f, h, w, 3] };
}
