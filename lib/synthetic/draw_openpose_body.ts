/**
 * The DWPose/OpenPose body-skeleton drawing: on a black canvas, the 17 limbs
 * as filled ellipses in the standard OpenPose colours (limb-major order over
 * persons), the canvas scaled by 0.6 (uint8 truncation), then the 18
 * keypoints as filled circles at full colour.
 *
 * Differences from the reference drawing: ellipses and circles are
 * rasterised analytically at pixel centres (cv2 truncates centres and axes to
 * integers and fills a 1°-step polygon), and the stick half-width and point
 * radius scale with the image (4 px at 512 px, never below 1 px).
 *
 * References: DWPose `annotator/dwpose/util.py` `draw_bodypose` (limbSeq,
 * colors, stickwidth = 4, `canvas * 0.6`); OpenPose COCO-18 limb pairs.
 *
 * @module
 */

import { fillEllipse } from "./_raster.ts";

/** The 19 OpenPose COCO limb pairs (0-based keypoint indices); only the first 17 are drawn. */
export const OPENPOSE_LIMBS: ReadonlyArray<readonly [number, number]> = [
  [1, 2],
  [1, 5],
  [2, 3],
  [3, 4],
  [5, 6],
  [6, 7],
  [1, 8],
  [8, 9],
  [9, 10],
  [1, 11],
  [11, 12],
  [12, 13],
  [1, 0],
  [0, 14],
  [14, 16],
  [0, 15],
  [15, 17],
  [2, 16],
  [5, 17],
];

/** The 18 OpenPose colours (RGB 0..255): limb i and keypoint i use colour i. */
export const OPENPOSE_COLORS: ReadonlyArray<readonly [number, number, number]> = [
  [255, 0, 0],
  [255, 85, 0],
  [255, 170, 0],
  [255, 255, 0],
  [170, 255, 0],
  [85, 255, 0],
  [0, 255, 0],
  [0, 255, 85],
  [0, 255, 170],
  [0, 255, 255],
  [0, 170, 255],
  [0, 85, 255],
  [0, 0, 255],
  [85, 0, 255],
  [170, 0, 255],
  [255, 0, 255],
  [255, 0, 170],
  [255, 0, 85],
];

/** Number of limbs the reference drawing actually draws. */
export const DRAWN_LIMBS = 17;

/** Options of `drawOpenPoseBody`. */
export interface DrawOpenPoseOptions {
  width: number;
  height: number;
  /** Keypoints per person in `keypoints` (the first 18 must be COCO-18); default 18. */
  stride?: number;
  /** Ellipse half-width in pixels (default max(1, 4 · min(H, W) / 512)). */
  stickWidth?: number;
  /** Keypoint circle radius in pixels (default max(1, 4 · min(H, W) / 512)). */
  radius?: number;
}

/**
 * Draws the body skeletons of several persons, OpenPose style.
 *
 * @param keypoints pixel coordinates [persons, stride, 2]
 * @param visibility 0/1 per keypoint [persons, stride]
 * @param options canvas size, stride, stick width and point radius
 * @returns an RGB canvas [H, W, 3] in [0, 1] (values are k/255)
 * @example
 * ```ts
 * import { drawOpenPoseBody } from "./draw_openpose_body.ts";
 * const xy = new Float32Array(36), vis = new Float32Array(18);
 * xy.set([20, 10, 20, 20, 10, 20, 10, 30], 0); vis.set([1, 1, 1, 1]);
 * const rgb = drawOpenPoseBody(xy, vis, { width: 32, height: 40 });
 * console.log(rgb.length); // 3840
 * ```
 */
export function drawOpenPoseBody(
  keypoints: Float32Array,
  visibility: Float32Array,
  options: DrawOpenPoseOptions,
): Float32Array {
  const { width: W, height: H } = options;
  const stride = options.stride ?? 18;
  if (stride < 18) throw new RangeError(`Cannot draw OpenPose bodies as stride must be >= 18: received ${stride}`);
  if (keypoints.length !== visibility.length * 2 || visibility.length % stride !== 0) {
    throw new RangeError(
      `Cannot draw OpenPose bodies: expected keypoints of length 2·persons·${stride} and visibility of persons·${stride}, received ${keypoints.length} and ${visibility.length}`,
    );
  }
  const persons = visibility.length / stride;
  const scale = Math.min(W, H) / 512;
  const stick = options.stickWidth ?? Math.max(1, 4 * scale);
  const radius = options.radius ?? Math.max(1, 4 * scale);
  const canvas = new Float32Array(W * H * 3);
  const x = (n: number, k: number) => keypoints[(n * stride + k) * 2];
  const y = (n: number, k: number) => keypoints[(n * stride + k) * 2 + 1];
  const v = (n: number, k: number) => visibility[n * stride + k] > 0;
  for (let i = 0; i < DRAWN_LIMBS; i++) {
    const [a, b] = OPENPOSE_LIMBS[i];
    const c = OPENPOSE_COLORS[i];
    for (let n = 0; n < persons; n++) {
      if (!v(n, a) || !v(n, b)) continue;
      const dx = x(n, b) - x(n, a), dy = y(n, b) - y(n, a);
      const len = Math.hypot(dx, dy);
      fillEllipse(
        canvas,
        W,
        H,
        (x(n, a) + x(n, b)) / 2,
        (y(n, a) + y(n, b)) / 2,
        Math.max(len / 2, stick),
        stick,
        Math.atan2(dy, dx),
        c,
      );
    }
  }
  // canvas = (canvas * 0.6).astype(np.uint8): the limb layer holds colour values 0..255.
  for (let k = 0; k < canvas.length; k++) canvas[k] = Math.floor(canvas[k] * 0.6);
  for (let i = 0; i < 18; i++) {
    const c = OPENPOSE_COLORS[i];
    for (let n = 0; n < persons; n++) {
      if (v(n, i)) fillEllipse(canvas, W, H, x(n, i), y(n, i), radius, radius, 0, c);
    }
  }
  for (let k = 0; k < canvas.length; k++) canvas[k] /= 255;
  return canvas;
}
