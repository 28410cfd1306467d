/**
 * Reads one `-syn` network file written by saveSynNetwork, checking every
 * parameter name and shape against its recorded configuration.
 *
 * References: lib/io/safetensors.ts.
 */
import * as tf from "@tensorflow/tfjs-core";
import { readSafetensors } from "../../io/safetensors.ts";
import type { SynNetConfig } from "./syn_net_config.ts";
import { SYN_NETWORK_FORMAT } from "./save_syn_network.ts";
import { paramShapes } from "./_param_shapes.ts";

/** A loaded network: configuration, weights (caller disposes) and the file's metadata. */
export interface LoadedSynNetwork {
  config: SynNetConfig;
  params: Record<string, tf.Tensor>;
  metadata: Record<string, string>;
}

/**
 * @param path a .safetensors file written by saveSynNetwork
 * @returns its configuration, weights as tensors and metadata
 * @example
 * ```ts ignore
 * import { loadSynNetwork } from "./load_syn_network.ts";
 * const { config, params } = await loadSynNetwork("results/feature_nets/0/image-syn.safetensors");
 * ```
 */
export async function loadSynNetwork(path: string): Promise<LoadedSynNetwork> {
  try {
    await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new TypeError(
        `Cannot load a -syn network: no file at ${path} (train them with: deno task ablate feature_nets)`,
      );
    }
    throw e;
  }
  const content = await readSafetensors(path);
  const { tensors, metadata } = content;
  if (metadata.format !== SYN_NETWORK_FORMAT) {
    throw new TypeError(
      `Cannot load ${path} as a -syn network: metadata format must be "${SYN_NETWORK_FORMAT}", received ${
        JSON.stringify(metadata.format)
      }`,
    );
  }
  let config: SynNetConfig;
  try {
    config = JSON.parse(metadata.config);
  } catch {
    throw new TypeError(`Cannot load ${path} as a -syn network: its metadata "config" is not JSON`);
  }
  const expected = paramShapes(config);
  const names = new Set(expected.map((p) => p.name));
  for (const name of Object.keys(tensors)) {
    if (!names.has(name)) throw new TypeError(`Cannot load ${path}: unexpected parameter "${name}" for ${config.name}`);
  }
  const params: Record<string, tf.Tensor> = {};
  for (const p of expected) {
    const t = tensors[p.name];
    if (!t) throw new TypeError(`Cannot load ${path}: parameter "${p.name}" of ${config.name} is missing`);
    if (t.shape.join() !== p.shape.join()) {
      throw new RangeError(`Cannot load ${path}: "${p.name}" must be [${p.shape}], received [${t.shape}]`);
    }
    params[p.name] = tf.tensor(t.data, p.shape, "float32");
  }
  return { config, params, metadata };
}
