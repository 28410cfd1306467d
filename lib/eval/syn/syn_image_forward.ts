/**
 * Forward pass of the `-syn` image encoder.
 *
 * References: a plain VGG-style stride-2 CNN with global average pooling
 * (Simonyan & Zisserman, ICLR 2015; Lin et al., "Network in Network", 2014);
 * the pooled-feature embedding is what FID reads from Inception's pool3
 * (pytorch-fid), here followed by one linear layer trained contrastively.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { SynImageConfig } from "./syn_net_config.ts";
import { conv2dRelu, headLogits, linear, requireParams } from "./_layers.ts";

/** What a `-syn` forward pass returns (all owned by the caller / the enclosing tidy). */
export interface SynForwardResult {
  /** The embedding [N, D] the metrics use. */
  features: tf.Tensor2D;
  /** Activation maps, channels last: stem, then each stage (the LPIPS-syn layers). */
  layers: tf.Tensor[];
  /** Training-head logits [N, classes] by head name (empty when heads are off). */
  logits: Record<string, tf.Tensor2D>;
}

/** Options of {@link synImageForward}. */
export interface SynImageForwardOptions {
  /** The network configuration. */
  config: SynImageConfig;
  /** Compute the training heads' logits (default true). */
  withHeads?: boolean;
}

/**
 * stem: Conv2d(3, c0, 3, padding 1) + ReLU; stage s: Conv2d(c_{s−1}, c_s, 3,
 * stride 2, padding 1) + ReLU, Conv2d(c_s, c_s, 3, padding 1) + ReLU; global
 * average pool; fc: Linear(c_last, D) → features; heads: Linear(D, classes).
 *
 * @param params the weights (initSynNetParams or a loaded file)
 * @param x preprocessed images [N, H, W, 3] (inputSize, pixels mapped to [-1, 1])
 * @param options the network configuration; whether to compute the heads
 * @returns features [N, D], activation maps and head logits
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { Prng } from "../../random/mod.ts";
 * import { initSynNetParams } from "./init_syn_net_params.ts";
 * import { SYN_NET_PRESETS } from "./syn_net_config.ts";
 * import { synImageForward } from "./syn_image_forward.ts";
 * const cfg = SYN_NET_PRESETS["image-syn"];
 * const params = initSynNetParams(cfg, { prng: new Prng(0) });
 * const { features } = synImageForward(params, tf.zeros([2, 32, 32, 3]), { config: cfg });
 * console.log(features.shape); // [2, 128]
 * ```
 */
export function synImageForward(
  params: Record<string, tf.Tensor>,
  x: tf.Tensor,
  options: SynImageForwardOptions,
): SynForwardResult {
  const { config } = options;
  const [h, w] = config.inputSize;
  if (x.rank !== 4 || x.shape[1] !== h || x.shape[2] !== w || x.shape[3] !== 3) {
    throw new RangeError(`Cannot run ${config.name}: expected input [N, ${h}, ${w}, 3], received [${x.shape}]`);
  }
  const stages = config.channels.length - 1;
  const names = ["stem.weight", "stem.bias", "fc.weight", "fc.bias"];
  for (let s = 0; s < stages; s++) names.push(`stages.${s}.down.weight`, `stages.${s}.conv.weight`);
  requireParams(params, names, config.name);
  const layers: tf.Tensor[] = [];
  let hcur = conv2dRelu(x as tf.Tensor4D, params["stem.weight"], params["stem.bias"], 1); // (N, H, W, c0)
  layers.push(hcur);
  for (let s = 0; s < stages; s++) {
    hcur = conv2dRelu(hcur, params[`stages.${s}.down.weight`], params[`stages.${s}.down.bias`], 2); // (N, H/2^(s+1), W/2^(s+1), c_s)
    hcur = conv2dRelu(hcur, params[`stages.${s}.conv.weight`], params[`stages.${s}.conv.bias`], 1);
    layers.push(hcur);
  }
  const pooled = tf.mean(hcur, [1, 2]) as tf.Tensor2D; // (N, c_last)
  const features = linear(pooled, params["fc.weight"], params["fc.bias"]);
  const logits = options.withHeads === false ? {} : headLogits(params, features, config.heads);
  return { features, layers, logits };
}
