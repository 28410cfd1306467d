/**
 * Single frames and flow fields, the currency of the optical-flow based
 * VBench dimensions (dynamic degree, motion smoothness).
 *
 * References: RAFT's flow convention (flow from image1 to image2), as VBench's
 * dynamic_degree.py uses it.
 */
import type { Video } from "./video.ts";

/** One frame, channels last, values in [0, 1]: data.length = height·width·channels. */
export interface Frame {
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

/** A dense flow field from frame a to frame b: pixel (x, y) of a is at (x + u, y + v) in b. */
export interface FlowField {
  u: Float32Array;
  v: Float32Array;
  height: number;
  width: number;
}

/** A flow estimator (classical Lucas–Kanade here; RAFT through a FeatureNetwork-like wrapper elsewhere). */
export type FlowFn = (a: Frame, b: Frame) => FlowField | Promise<FlowField>;

/** A frame interpolator: the frame halfway between a and b (AMT in VBench; flow warping here). */
export type InterpolateFn = (a: Frame, b: Frame) => Frame | Promise<Frame>;

/**
 * Copies frame t of video n out of a video batch, as float in [0, 1].
 *
 * @param video the batch [N, F, H, W, C]
 * @param index video n
 * @param t frame index
 * @returns the frame
 * @example
 * ```ts
 * import { videoFrame } from "./frame.ts";
 * const f = videoFrame({ data: new Uint8Array([0, 255]), shape: [1, 2, 1, 1, 1] }, 0, 1);
 * console.log(f.data[0]); // 1
 * ```
 */
export function videoFrame(video: Video, index: number, t: number): Frame {
  const [n, f, h, w, c] = video.shape;
  if (!(index >= 0 && index < n && t >= 0 && t < f)) {
    throw new RangeError(`Cannot take frame ${t} of video ${index}: the batch has shape [${video.shape}]`);
  }
  const size = h * w * c;
  const start = (index * f + t) * size;
  const src = video.data.subarray(start, start + size);
  const data = new Float32Array(size);
  const scale = video.data instanceof Uint8Array ? 1 / 255 : 1;
  for (let i = 0; i < size; i++) data[i] = src[i] * scale;
  return { data, height: h, width: w, channels: c };
}
