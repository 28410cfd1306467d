/**
 * Forward pass of the `-syn` video encoder, a small (2+1)D CNN.
 *
 * References: Tran et al., "A Closer Look at Spatiotemporal Convolutions for
 * Action Recognition" (CVPR 2018), R(2+1)D: a 3D convolution factorised into
 * a 1×k×k spatial and a k×1×1 temporal convolution with a ReLU between;
 * Wang et al., TSN (ECCV 2016), RGB-difference input; Wu & He, GroupNorm (ECCV 2018).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { SynVideoConfig } from "./syn_net_config.ts";
import type { SynForwardResult } from "./syn_image_forward.ts";
import { conv3dRelu, headLogits, linear, requireParams } from "./_layers.ts";

/** Options of {@link synVideoForward}. */
export interface SynVideoForwardOptions {
  config: SynVideoConfig;
  /** Compute the training heads' logits (default true). */
  withHeads?: boolean;
}

/**
 * input: RGB and the difference to the previous frame (zero for frame 0), 6
 * channels (TSN's RGB-difference modality); stem: Conv3d(6, c0, (1,3,3),
 * stride (1,2,2)), Conv3d(c0, c0, (3,1,1)); stage s: Conv3d(c_{s−1}, c_s,
 * (1,3,3), stride (1,2,2)), Conv3d(c_s, c_s, (3,1,1), stride (ts,1,1));
 * padding k//2 everywhere, every conv followed by GroupNorm(normGroups,
 * affine=False) when normGroups > 0, then ReLU; global average pool over time
 * and space; fc: Linear(c_last, D); heads: Linear(D, classes).
 *
 * @param params the weights
 * @param x preprocessed clips [N, T, H, W, 3] (inputSize, [-1, 1]); any T >= 1
 * @param options the network configuration; whether to compute the heads
 * @returns features [N, D], activation maps and head logits
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { Prng } from "../../random/mod.ts";
 * import { initSynNetParams } from "./init_syn_net_params.ts";
 * import { SYN_NET_PRESETS } from "./syn_net_config.ts";
 * import { synVideoForward } from "./syn_video_forward.ts";
 * const cfg = SYN_NET_PRESETS["video-syn"];
 * const params = initSynNetParams(cfg, { prng: new Prng(0) });
 * console.log(synVideoForward(params, tf.zeros([1, 9, 32, 32, 3]), { config: cfg }).features.shape); // [1, 128]
 * ```
 */
export function synVideoForward(
  params: Record<string, tf.Tensor>,
  x: tf.Tensor,
  options: SynVideoForwardOptions,
): SynForwardResult {
  const { config } = options;
  const [h, w] = config.inputSize;
  if (x.rank !== 5 || x.shape[2] !== h || x.shape[3] !== w || x.shape[4] !== 3) {
    throw new RangeError(`Cannot run ${config.name}: expected input [N, T, ${h}, ${w}, 3], received [${x.shape}]`);
  }
  const stages = config.channels.length - 1;
  const names = ["stem.spatial.weight", "stem.temporal.weight", "fc.weight", "fc.bias"];
  for (let s = 0; s < stages; s++) names.push(`stages.${s}.spatial.weight`, `stages.${s}.temporal.weight`);
  requireParams(params, names, config.name);
  const layers: tf.Tensor[] = [];
  // RGB plus the difference to the previous frame (0 for the first): motion is visible to the first layer.
  const [n, t] = x.shape;
  const prev = tf.concat([
    tf.slice(x, [0, 0, 0, 0, 0], [n, 1, h, w, 3]),
    tf.slice(x, [0, 0, 0, 0, 0], [n, t - 1, h, w, 3]),
  ], 1); // (N, T, H, W, 3)
  const input = tf.concat([x, tf.sub(x, prev)], 4) as tf.Tensor5D; // (N, T, H, W, 6)
  const g = config.normGroups;
  let y = conv3dRelu(input, params["stem.spatial.weight"], params["stem.spatial.bias"], [1, 2, 2], g);
  y = conv3dRelu(y, params["stem.temporal.weight"], params["stem.temporal.bias"], [1, 1, 1], g); // (N, T, H/2, W/2, c0)
  layers.push(y);
  for (let s = 0; s < stages; s++) {
    const ts = config.temporalStrides[s];
    y = conv3dRelu(y, params[`stages.${s}.spatial.weight`], params[`stages.${s}.spatial.bias`], [1, 2, 2], g);
    y = conv3dRelu(y, params[`stages.${s}.temporal.weight`], params[`stages.${s}.temporal.bias`], [ts, 1, 1], g); // (N, T', H/2^(s+2), W/2^(s+2), c_s)
    layers.push(y);
  }
  const pooled = tf.mean(y, [1, 2, 3]) as tf.Tensor2D; // (N, c_last)
  const features = linear(pooled, params["fc.weight"], params["fc.bias"]);
  const logits = options.withHeads === false ? {} : headLogits(params, features, config.heads);
  return { features, layers, logits };
}
