/**
 * A `-syn` network's parameters wrapped as a {@link FeatureNetwork}: pixels
 * in [0, 1] are resized to the network's input size (bilinear, PyTorch
 * align_corners=False) and mapped to [-1, 1]; the output is the embedding.
 *
 * References: lib/eval featureNetworkFromParams and preprocessPixels.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { FeatureNetwork } from "../feature_network.ts";
import { featureNetworkFromParams } from "../feature_network_from_params.ts";
import type { SynNetConfig } from "./syn_net_config.ts";
import { synImageForward } from "./syn_image_forward.ts";
import { synVideoForward } from "./syn_video_forward.ts";

/** Options of {@link synFeatureNetwork}. */
export interface SynFeatureNetworkOptions {
  config: SynNetConfig;
  /** Images or clips per forward pass (default 64 images / 16 clips). */
  batchSize?: number;
}

/**
 * @param params the network's weights (disposed by the network's dispose())
 * @param options its configuration and batch size
 * @returns the feature network (image: frames [N, H, W, 3]; video: clips [N, clipLength, H, W, 3])
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { Prng } from "../../random/mod.ts";
 * import { initSynNetParams } from "./init_syn_net_params.ts";
 * import { SYN_NET_PRESETS } from "./syn_net_config.ts";
 * import { synFeatureNetwork } from "./syn_feature_network.ts";
 * const config = SYN_NET_PRESETS["image-syn"];
 * const net = synFeatureNetwork(initSynNetParams(config, { prng: new Prng(0) }), { config });
 * console.log((await net.embed(tf.zeros([3, 64, 64, 3]))).shape); // [3, 128]
 * ```
 */
export function synFeatureNetwork(
  params: Record<string, tf.Tensor>,
  options: SynFeatureNetworkOptions,
): FeatureNetwork {
  const { config } = options;
  if (config.kind === "image") {
    return featureNetworkFromParams(
      params,
      (p, x) => synImageForward(p, x, { config, withHeads: false }).features,
      {
        name: config.name,
        kind: "image",
        inputSize: [config.inputSize[0], config.inputSize[1]],
        normalize: "minus1to1",
        batchSize: options.batchSize ?? 64,
      },
    );
  }
  return featureNetworkFromParams(
    params,
    (p, x) => synVideoForward(p, x, { config, withHeads: false }).features,
    {
      name: config.name,
      kind: "video",
      inputSize: [config.inputSize[0], config.inputSize[1]],
      clipLength: config.clipLength,
      normalize: "minus1to1",
      batchSize: options.batchSize ?? 16,
    },
  );
}
