/**
 * Square, optionally rotated regions of an image (private): the input crops of
 * the detectors and the map from crop coordinates back to the image.
 * Coordinates are continuous pixels: pixel (i, j) spans [j, j+1) × [i, i+1).
 *
 * References: TensorFlow `ImageProjectiveTransformV3` (output → input map,
 * integer coordinates at pixel centres), as exposed by `tf.image.transform`.
 *
 * @module
 */

import * as tf from "@tensorflow/tfjs-core";

/** A square region: centre (x, y), side length in pixels, rotation in radians (crop's up = image's up rotated by angle). */
export interface Roi {
  cx: number;
  cy: number;
  side: number;
  angle: number;
}

/** The region that pads an image to a square around its centre (what MoveNet/BlazePose see). */
export function fullImageRoi(width: number, height: number): Roi {
  return { cx: width / 2, cy: height / 2, side: Math.max(width, height), angle: 0 };
}

/** Maps crop coordinates (u, v in [0, 1]) to image pixels. */
export function cropToImage(roi: Roi, u: number, v: number): [number, number] {
  const a = (u - 0.5) * roi.side, b = (v - 0.5) * roi.side;
  const c = Math.cos(roi.angle), s = Math.sin(roi.angle);
  return [roi.cx + c * a - s * b, roi.cy + s * a + c * b];
}

/**
 * Samples a roi of an image [H, W, C] bilinearly into [1, size, size, C];
 * outside the image is `fill`.
 */
export function cropRoi(image: tf.Tensor3D, roi: Roi, size: number, fill = 0): tf.Tensor4D {
  return tf.tidy(() => {
    // Output pixel index (xo, yo) has crop coordinates u = (xo + 0.5) / size; the input index is its image x − 0.5.
    const k = roi.side / size;
    const c = Math.cos(roi.angle), s = Math.sin(roi.angle);
    const [x0, y0] = cropToImage(roi, 0.5 / size, 0.5 / size);
    const transform = tf.tensor2d([[c * k, -s * k, x0 - 0.5, s * k, c * k, y0 - 0.5, 0, 0]]);
    const batch = tf.expandDims(image, 0) as tf.Tensor4D; // (1, H, W, C)
    return tf.image.transform(batch, transform, "bilinear", "constant", fill, [size, size]);
  });
}
