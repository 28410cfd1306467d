/**
 * The input pipeline every loaded feature network shares: bilinear resize,
 * normalisation and layout.
 *
 * References: pytorch-fid inception.py (F.interpolate bilinear,
 * align_corners=False, then 2x − 1); torchvision Normalize.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { NetworkSpec, PixelNormalization } from "./feature_network.ts";

const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } as const;

/**
 * Resizes (bilinear, half-pixel centres, no antialiasing = PyTorch
 * `align_corners=False`), normalises and lays out pixels for a network.
 *
 * @param pixels images [N, H, W, 3] (image networks) or clips [N, T, H, W, 3] (video networks) in [0, 1]
 * @param spec the network's input size, normalisation and layout
 * @returns the model input; the caller disposes it
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { preprocessPixels } from "./preprocess_pixels.ts";
 * const x = preprocessPixels(tf.ones([1, 4, 4, 3]), { name: "n", kind: "image", inputSize: [2, 2] });
 * console.log(x.shape, x.dataSync()[0]); // [1, 2, 2, 3] 1
 * ```
 */
export function preprocessPixels(pixels: tf.Tensor, spec: NetworkSpec): tf.Tensor {
  const video = spec.kind === "video";
  const rank = video ? 5 : 4;
  if (pixels.rank !== rank || pixels.shape[rank - 1] !== 3) {
    throw new RangeError(
      `Cannot preprocess pixels for ${spec.name}: expected ${
        video ? "clips [N, T, H, W, 3]" : "images [N, H, W, 3]"
      }, received shape [${pixels.shape}]`,
    );
  }
  if (video && spec.clipLength !== undefined && pixels.shape[1] !== spec.clipLength) {
    throw new RangeError(
      `Cannot preprocess clips for ${spec.name}: expected ${spec.clipLength} frames per clip, received shape [${pixels.shape}]`,
    );
  }
  const [oh, ow] = spec.inputSize;
  return tf.tidy(() => {
    const s = pixels.shape as number[];
    const [n, h, w] = video ? [s[0] * s[1], s[2], s[3]] : [s[0], s[1], s[2]];
    let x = tf.reshape(pixels, [n, h, w, 3]) as tf.Tensor4D; // (N·T, H, W, 3)
    if (h !== oh || w !== ow) x = tf.image.resizeBilinear(x, [oh, ow], false, true);
    x = normalize(x, spec.normalize ?? "minus1to1", spec.name);
    const channelsFirst = spec.layout === "channels-first";
    if (!video) return channelsFirst ? tf.transpose(x, [0, 3, 1, 2]) : x; // (N, 3, h, w) or (N, h, w, 3)
    const clips = tf.reshape(x, [s[0], s[1], oh, ow, 3]); // (N, T, h, w, 3)
    return channelsFirst ? tf.transpose(clips, [0, 4, 1, 2, 3]) : clips; // (N, 3, T, h, w)
  });
}

function normalize(x: tf.Tensor4D, how: PixelNormalization, name: string): tf.Tensor4D {
  if (how === "unit") return x;
  if (how === "minus1to1") return tf.sub(tf.mul(x, 2), 1);
  const { mean, std } = how === "imagenet" ? IMAGENET : how;
  if (mean?.length !== 3 || std?.length !== 3 || std.some((s) => !(s > 0))) {
    throw new RangeError(
      `Cannot normalise pixels for ${name}: mean and std need 3 values with std > 0, received ${JSON.stringify(how)}`,
    );
  }
  return tf.div(tf.sub(x, tf.tensor1d([...mean])), tf.tensor1d([...std]));
}
