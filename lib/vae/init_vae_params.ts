import * as tf from "@tensorflow/tfjs-core";
import type { Prng } from "../random/prng.ts";
import type { VaeConfig, VaeParams } from "./vae_config.ts";
import { paramSpecs } from "./_architecture.ts";

/** Options of {@link initVaeParams}. */
export interface InitVaeParamsOptions {
  /** Draws the initial weights (in state-dict order). */
  prng: Prng;
}

/**
 * Creates freshly initialised VAE parameters.
 *
 * Convolution weights and biases are drawn from U(−1/√fan_in, 1/√fan_in),
 * PyTorch's default for Conv2d/Conv3d; RMS-norm gammas are one; the output
 * projection of each attention block is zero, as in Wan.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`AttentionBlock.__init__`
 * zeroes `proj.weight`); PyTorch `_ConvNd.reset_parameters`.
 *
 * @param config the VAE size
 * @param options the generator
 * @returns trainable variables keyed by Wan's state-dict names
 * @example
 * ```ts
 * import { initEngine } from "../engine/mod.ts";
 * await initEngine({ backend: "cpu" });
 * import { initVaeParams } from "./init_vae_params.ts";
 * import { VAE_PRESETS } from "./vae_presets.ts";
 * import { Prng } from "../random/prng.ts";
 * const params = initVaeParams(VAE_PRESETS["vae-smoke"], { prng: new Prng(0) });
 * ```
 */
export function initVaeParams(config: VaeConfig, options: InitVaeParamsOptions): VaeParams {
  const { prng } = options;
  const params: VaeParams = {};
  for (const spec of paramSpecs(config)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (spec.init.kind === "ones") data.fill(1);
    else if (spec.init.kind === "uniform") {
      const b = spec.init.bound;
      for (let i = 0; i < size; i++) data[i] = (2 * prng.uniform() - 1) * b;
    }
    const initial = tf.tensor(data, spec.shape);
    params[spec.name] = tf.variable(initial, true);
    initial.dispose();
  }
  return params;
}
