/**
 * A feature network defined in TF.js from a parameter dictionary: the
 * interface for the `-syn` networks this workbench trains on its synthetic
 * data (metric names with a `-syn` suffix), and for small test networks.
 *
 * References: workbench Params convention (Record<string, tf.Variable> keyed
 * by PyTorch state-dict names).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { FeatureNetwork, NetworkSpec } from "./feature_network.ts";
import { networkFromRunner } from "./_network_from_runner.ts";

/** The forward pass: preprocessed input → features [n, …] (flattened to [n, D]). */
export type ParamsForward = (params: Record<string, tf.Tensor>, input: tf.Tensor) => tf.Tensor;

/**
 * Wraps a pure TF.js forward function and its parameters as a
 * {@link FeatureNetwork}; each batch runs inside tf.tidy.
 *
 * @param params the weights, e.g. read with readSafetensors and turned into tensors
 * @param forward the network as a function of (params, preprocessed input)
 * @param options spec: name (use a "-syn" suffix for trained-here networks), kind, input size, normalisation
 * @returns the network; dispose() disposes the params
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import "@tensorflow/tfjs-backend-cpu";
 * import { featureNetworkFromParams } from "./feature_network_from_params.ts";
 * const net = featureNetworkFromParams({ w: tf.ones([3, 2]) }, (p, x) => tf.matMul(tf.mean(x, [1, 2]), p.w), {
 *   name: "toy-syn", kind: "image", inputSize: [4, 4], normalize: "unit",
 * });
 * const f = await net.embed(tf.ones([1, 8, 8, 3]));
 * console.log(f.shape, Array.from(f.data)); // [1, 2] [3, 3]
 * ```
 */
export function featureNetworkFromParams(
  params: Record<string, tf.Tensor>,
  forward: ParamsForward,
  options: NetworkSpec,
): FeatureNetwork {
  return networkFromRunner(options, async (input) => {
    const out = tf.tidy(() => forward(params, input));
    try {
      return { data: Float32Array.from(await out.data()), shape: out.shape };
    } finally {
      out.dispose();
    }
  }, () => {
    for (const p of Object.values(params)) p.dispose();
  });
}
