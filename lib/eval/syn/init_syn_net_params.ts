/**
 * Fresh parameters of a `-syn` network.
 *
 * References: He et al., "Delving Deep into Rectifiers" (ICCV 2015) for the
 * N(0, 2/fan_in) initialisation of convolutions followed by ReLU; LeCun
 * normal N(0, 1/fan_in) for the linear layers.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Prng } from "../../random/prng.ts";
import type { SynNetConfig } from "./syn_net_config.ts";
import { paramShapes } from "./_param_shapes.ts";

/** Options of {@link initSynNetParams}. */
export interface InitSynNetParamsOptions {
  prng: Prng;
}

/**
 * Draws the parameters of an image or video `-syn` network, keyed by
 * PyTorch-style state-dict names ("stem.weight", "stages.0.down.weight",
 * "fc.weight", "heads.style.weight", …) in PyTorch layout.
 *
 * @param config the network configuration (e.g. SYN_NET_PRESETS["image-syn"])
 * @param options the random stream
 * @returns trainable variables
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { Prng } from "../../random/mod.ts";
 * import { initSynNetParams } from "./init_syn_net_params.ts";
 * import { SYN_NET_PRESETS } from "./syn_net_config.ts";
 * const p = initSynNetParams(SYN_NET_PRESETS["image-syn"], { prng: new Prng(0) });
 * console.log(p["stem.weight"].shape); // [16, 3, 3, 3]
 * ```
 */
export function initSynNetParams(config: SynNetConfig, options: InitSynNetParamsOptions): Record<string, tf.Variable> {
  const { prng } = options;
  if (typeof prng?.normals !== "function") {
    throw new TypeError(`Cannot initialise ${config?.name}: options.prng must be a Prng, received ${typeof prng}`);
  }
  const params: Record<string, tf.Variable> = {};
  for (const p of paramShapes(config)) {
    const size = p.shape.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (p.init === "zero") data = new Float32Array(size);
    else {
      data = prng.normals(size);
      const std = Math.sqrt((p.init === "relu" ? 2 : 1) / p.fanIn);
      for (let i = 0; i < size; i++) data[i] *= std;
    }
    params[p.name] = tf.variable(tf.tensor(data, p.shape, "float32"), true);
  }
  return params;
}
