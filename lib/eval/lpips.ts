/**
 * LPIPS (v0.1) perceptual distance between predicted and reference frames,
 * given a feature extractor that returns per-layer maps and the learned
 * linear weights.
 *
 * References: Zhang et al., "The Unreasonable Effectiveness of Deep Features
 * as a Perceptual Metric" (CVPR 2018) eq. 1; richzhang/PerceptualSimilarity
 * lpips.py (normalize_tensor with eps 1e-10, squared difference, NetLinLayer
 * 1×1 conv without bias, spatial_average, sum over layers).
 */
import * as tf from "@tensorflow/tfjs-core";
import { toVideo, type Video, type VideoLike } from "./video.ts";
import { assertSameShape } from "./_checks.ts";

/** A backbone (e.g. AlexNet / VGG conv stages) plus LPIPS's learned per-channel weights. */
export interface LpipsExtractor {
  /**
   * Feature maps, channels last [N, h_l, w_l, C_l], one per layer, of images
   * [N, H, W, 3] in [-1, 1]. The extractor applies its own input scaling
   * (LPIPS's ScalingLayer shift/scale) and resizing, if any.
   */
  layers(images: tf.Tensor4D): tf.Tensor4D[] | Promise<tf.Tensor4D[]>;
  /** Non-negative weights w_l of length C_l (the lin layers' 1×1 conv weights). */
  weights: Float32Array[];
}

/** Options of {@link lpips}. */
export interface LpipsOptions {
  extractor: LpipsExtractor;
  /** Frame pairs per forward pass (default 8). */
  batchSize?: number;
}

/**
 * d(x, y) = Σ_l mean_{h,w} Σ_c w_lc · (x̂_lhwc − ŷ_lhwc)², where x̂ is the
 * layer-l feature map normalised to unit length along channels
 * (x / (‖x‖ + 1e-10)); returns the mean over all frames of all videos.
 *
 * @param pred predicted videos [N, F, H, W, C] in [0, 1] (mapped to [-1, 1] as lpips(normalize=True))
 * @param ref reference videos of the same shape
 * @param options the extractor with its linear weights, and the batch size
 * @returns mean LPIPS distance (0 for identical frames)
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { lpips } from "./lpips.ts";
 * // One "layer": the pixels themselves, all channels weighted 1.
 * const extractor = { layers: (x: tf.Tensor4D) => [x.clone()], weights: [new Float32Array([1, 1, 1])] };
 * const v = { data: new Float32Array(3).fill(0.5), shape: [1, 1, 1, 1, 3] as [number, number, number, number, number] };
 * console.log(await lpips(v, v, { extractor })); // 0
 * ```
 */
export async function lpips(pred: VideoLike, ref: VideoLike, options: LpipsOptions): Promise<number> {
  const a = toVideo(pred, "pred");
  const b = toVideo(ref, "ref");
  assertSameShape(a, b, "LPIPS");
  const { extractor } = options;
  const batchSize = options.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Cannot compute LPIPS as batchSize must be a positive integer: received ${batchSize}`);
  }
  const total = a.shape[0] * a.shape[1];
  let sum = 0;
  for (let start = 0; start < total; start += batchSize) {
    const count = Math.min(batchSize, total - start);
    const x = framesMinus1To1(a, start, count);
    const y = framesMinus1To1(b, start, count);
    let fx: tf.Tensor4D[] = [];
    let fy: tf.Tensor4D[] = [];
    try {
      fx = await extractor.layers(x);
      fy = await extractor.layers(y);
      checkLayers(fx, fy, extractor.weights, count);
      const d = tf.tidy(() => {
        let acc: tf.Tensor = tf.zeros([count]);
        for (let l = 0; l < fx.length; l++) {
          const nx = unitNormalize(fx[l]);
          const ny = unitNormalize(fy[l]);
          const w = tf.tensor1d(extractor.weights[l]);
          const weighted = tf.sum(tf.mul(tf.square(tf.sub(nx, ny)), w), 3); // (N, h, w)
          acc = tf.add(acc, tf.mean(weighted, [1, 2]));
        }
        return acc;
      });
      const values = await d.data();
      d.dispose();
      for (const v of values) sum += v;
    } finally {
      tf.dispose([x, y, ...fx, ...fy]);
    }
  }
  return sum / total;
}

/** x / (‖x‖₂ over channels + 1e-10), lpips.normalize_tensor. */
function unitNormalize(x: tf.Tensor4D): tf.Tensor4D {
  return tf.div(x, tf.add(tf.sqrt(tf.sum(tf.square(x), 3, true)), 1e-10));
}

function framesMinus1To1(v: Video, start: number, count: number): tf.Tensor4D {
  const [, , h, w, c] = v.shape;
  const frameSize = h * w * c;
  const src = v.data.subarray(start * frameSize, (start + count) * frameSize);
  const scale = v.data instanceof Uint8Array ? 2 / 255 : 2;
  const rgb = new Float32Array(count * h * w * 3);
  for (let p = 0; p < count * h * w; p++) {
    for (let k = 0; k < 3; k++) rgb[3 * p + k] = src[c === 3 ? 3 * p + k : p] * scale - 1;
  }
  return tf.tensor4d(rgb, [count, h, w, 3]);
}

function checkLayers(fx: tf.Tensor4D[], fy: tf.Tensor4D[], weights: Float32Array[], count: number): void {
  if (fx.length !== weights.length || fy.length !== weights.length) {
    throw new RangeError(
      `Cannot compute LPIPS: the extractor returned ${fx.length} layers but has ${weights.length} weight vectors`,
    );
  }
  for (let l = 0; l < fx.length; l++) {
    const s = fx[l].shape;
    if (s.length !== 4 || s[0] !== count || s[3] !== weights[l].length || fy[l].shape.some((v, i) => v !== s[i])) {
      throw new RangeError(
        `Cannot compute LPIPS: layer ${l} has shapes [${s}] and [${fy[l].shape}], expected [${count}, h, w, ${
          weights[l].length
        }] for both`,
      );
    }
  }
}
