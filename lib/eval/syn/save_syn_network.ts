/**
 * Writes a `-syn` network as one safetensors file: its weights under their
 * PyTorch-style names (readable with `safetensors.torch.load_file`) and its
 * configuration as JSON in the metadata, so the file describes itself.
 *
 * References: the safetensors format (huggingface/safetensors), `__metadata__` strings.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { writeSafetensors } from "../../io/safetensors.ts";
import type { SynNetConfig } from "./syn_net_config.ts";
import { paramShapes } from "./_param_shapes.ts";

/** The metadata `format` value of a `-syn` network file. */
export const SYN_NETWORK_FORMAT = "workbench-syn-net-v1";

/** Options of {@link saveSynNetwork}. */
export interface SaveSynNetworkOptions {
  params: Record<string, tf.Tensor>;
  config: SynNetConfig;
  /** Extra metadata strings (e.g. training seed, steps, git commit). */
  metadata?: Record<string, string>;
}

/**
 * @param path the .safetensors file (written atomically)
 * @param options weights, configuration and extra metadata
 * @returns resolves when written
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { Prng } from "../../random/mod.ts";
 * import { initSynNetParams } from "./init_syn_net_params.ts";
 * import { SYN_NET_PRESETS } from "./syn_net_config.ts";
 * import { saveSynNetwork } from "./save_syn_network.ts";
 * const config = SYN_NET_PRESETS["image-syn"];
 * await saveSynNetwork(`${await Deno.makeTempDir()}/image-syn.safetensors`, { params: initSynNetParams(config, { prng: new Prng(0) }), config });
 * ```
 */
export async function saveSynNetwork(path: string, options: SaveSynNetworkOptions): Promise<void> {
  const { params, config } = options;
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const p of paramShapes(config)) {
    const t = params[p.name];
    if (!t) throw new TypeError(`Cannot save ${config.name}: parameter "${p.name}" is missing`);
    if (t.shape.join() !== p.shape.join()) {
      throw new RangeError(`Cannot save ${config.name}: "${p.name}" must be [${p.shape}], received [${t.shape}]`);
    }
    tensors[p.name] = { shape: p.shape, data: Float32Array.from(await t.data()) };
  }
  await writeSafetensors(path, tensors, {
    ...options.metadata,
    format: SYN_NETWORK_FORMAT,
    config: JSON.stringify(config),
  });
}
