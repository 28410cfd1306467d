/**
 * The one video type every metric takes, and its validation.
 *
 * References: workbench layout contract (pixel clips [F, H, W, 3] in [0, 1];
 * eval takes videos [N, F, H, W, 3]).
 */
import * as tf from "@tensorflow/tfjs-core";

/**
 * A batch of N videos of F frames, channels last: `shape` is [N, F, H, W, C]
 * with C = 3 (RGB) or 1 (grey). Float32 data is in [0, 1]; Uint8 data is
 * 0..255 and every metric divides it by 255.
 */
export interface Video {
  data: Float32Array | Uint8Array;
  shape: [number, number, number, number, number];
}

/** A {@link Video} or a tf.Tensor of shape [N, F, H, W, C] (float32 in [0, 1], or int32 0..255). */
export type VideoLike = Video | tf.Tensor;

/**
 * Validates a video batch (shape, length, channels, finiteness) and returns it
 * as a {@link Video}; tensors are read synchronously.
 *
 * @param input the videos
 * @param name how errors name this input, e.g. "pred"
 * @returns the same data as a checked Video (no copy for Video inputs)
 * @example
 * ```ts
 * import { toVideo } from "./video.ts";
 * const v = toVideo({ data: new Float32Array(2 * 4 * 4 * 3), shape: [1, 2, 4, 4, 3] }, "pred");
 * console.log(v.shape); // [1, 2, 4, 4, 3]
 * ```
 */
export function toVideo(input: VideoLike, name = "video"): Video {
  let video: Video;
  if (input instanceof tf.Tensor) {
    if (input.rank !== 5) {
      throw new RangeError(
        `Cannot use ${name} as a video batch: expected shape [N, F, H, W, C], received shape [${input.shape}]`,
      );
    }
    const shape = input.shape as Video["shape"];
    if (input.dtype === "float32") {
      video = { data: input.dataSync() as Float32Array, shape };
    } else if (input.dtype === "int32") {
      const raw = input.dataSync();
      const data = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) {
        if (raw[i] < 0 || raw[i] > 255) {
          throw new RangeError(`Cannot use int32 ${name} as 8-bit video: value ${raw[i]} at index ${i} is outside 0..255`);
        }
        data[i] = raw[i];
      }
      video = { data, shape };
    } else {
      throw new TypeError(`Cannot use ${name} as a video: expected dtype float32 or int32, received ${input.dtype}`);
    }
  } else {
    video = input;
  }
  const { data, shape } = video;
  if (!(data instanceof Float32Array) && !(data instanceof Uint8Array)) {
    throw new TypeError(
      `Cannot use ${name} as a video: data must be a Float32Array or Uint8Array, received ${
        (data as unknown as object)?.constructor?.name ?? typeof data
      }`,
    );
  }
  if (!Array.isArray(shape) || shape.length !== 5 || !shape.every((s) => Number.isInteger(s) && s > 0)) {
    throw new RangeError(
      `Cannot use ${name} as a video batch: shape must be 5 positive integers [N, F, H, W, C], received ${
        JSON.stringify(shape)
      }`,
    );
  }
  if (shape[4] !== 3 && shape[4] !== 1) {
    throw new RangeError(`Cannot use ${name} as a video: channels must be 3 or 1, received shape [${shape}]`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size) {
    throw new RangeError(
      `Cannot use ${name} as a video: shape [${shape}] needs ${size} values, received ${data.length}`,
    );
  }
  if (data instanceof Float32Array) {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) {
        throw new RangeError(`Cannot use ${name} as a video: value ${data[i]} at flat index ${i} is not finite`);
      }
    }
  }
  return video;
}
