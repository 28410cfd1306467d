/**
 * LPIPS-syn's backbone: the `-syn` image encoder's activation maps (stem and
 * every stage) with uniform unit channel weights, since no human
 * perceptual-judgement data exists to learn LPIPS's linear layers here.
 *
 * References: Zhang et al., CVPR 2018 (LPIPS; the "baseline" variant sums
 * unit-normalised squared differences with w = 1); lib/eval lpips.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LpipsExtractor } from "../lpips.ts";
import type { SynImageConfig } from "./syn_net_config.ts";
import { synImageForward } from "./syn_image_forward.ts";

/** Options of {@link synLpipsExtractor}. */
export interface SynLpipsExtractorOptions {
  config: SynImageConfig;
}

/**
 * @param params the image encoder's weights (not disposed by the extractor)
 * @param options its configuration
 * @returns an extractor for lpips(): images [N, H, W, 3] in [-1, 1] → maps at inputSize, weights all 1
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { Prng } from "../../random/mod.ts";
 * import { initSynNetParams } from "./init_syn_net_params.ts";
 * import { SYN_NET_PRESETS } from "./syn_net_config.ts";
 * import { synLpipsExtractor } from "./syn_lpips_extractor.ts";
 * const config = SYN_NET_PRESETS["image-syn"];
 * const ex = synLpipsExtractor(initSynNetParams(config, { prng: new Prng(0) }), { config });
 * console.log(ex.weights.map((w) => w.length)); // [16, 32, 64, 128]
 * ```
 */
export function synLpipsExtractor(
  params: Record<string, tf.Tensor>,
  options: SynLpipsExtractorOptions,
): LpipsExtractor {
  const { config } = options;
  const [h, w] = config.inputSize;
  return {
    layers(images: tf.Tensor4D): tf.Tensor4D[] {
      return tf.tidy(() => {
        const x = images.shape[1] === h && images.shape[2] === w
          ? images
          : tf.image.resizeBilinear(images, [h, w], false, true); // (N, h, w, 3), half-pixel centres
        return synImageForward(params, x, { config, withHeads: false }).layers as tf.Tensor4D[];
      });
    },
    weights: config.channels.map((c) => new Float32Array(c).fill(1)),
  };
}
