/**
 * Loads a feature network saved in the TF.js graph-model format
 * (model.json + weight shards, as written by tensorflowjs_converter).
 *
 * References: TensorFlow.js converter, `tf.loadGraphModel` and the
 * model.json format (modelTopology + weightsManifest).
 */
import * as tf from "@tensorflow/tfjs-core";
import { loadGraphModel } from "@tensorflow/tfjs-converter";
import type { FeatureNetwork, NetworkSpec } from "./feature_network.ts";
import { networkFromRunner } from "./_network_from_runner.ts";

/** Options of {@link loadGraphModelNetwork}. */
export interface GraphModelNetworkOptions extends NetworkSpec {
  /** Output node to read (default: the model's first output). */
  outputName?: string;
}

/**
 * Reads model.json and its weight files from disk (a path or a file:// URL)
 * through a file IOHandler — tfjs-core's own URL router only handles
 * http(s):// and browser storage — and wraps the graph model as a
 * {@link FeatureNetwork}. Models with control flow run through
 * executeAsync, others through execute.
 *
 * @param modelJson path or file:// URL of model.json
 * @param options the network spec (input size, normalisation, layout, kind) and output node
 * @returns the network; call dispose() when done
 * @example
 * ```ts ignore
 * import { loadGraphModelNetwork } from "./load_graph_model_network.ts";
 * const inception = await loadGraphModelNetwork("models/inception/model.json", {
 *   name: "inception-pool3", kind: "image", inputSize: [299, 299], normalize: "minus1to1",
 * });
 * ```
 */
export async function loadGraphModelNetwork(
  modelJson: string | URL,
  options: GraphModelNetworkOptions,
): Promise<FeatureNetwork> {
  const model = await loadGraphModel(fileHandler(modelJson));
  const output = options.outputName ?? model.outputs[0]?.name;
  if (options.outputName && !model.outputs.some((o) => o.name === options.outputName)) {
    // Intermediate nodes can be requested too; check the graph knows the name.
    const known = (model as unknown as { executor?: { graph?: { nodes?: Record<string, unknown> } } }).executor?.graph?.nodes;
    if (known && !(options.outputName.split(":")[0] in known)) {
      model.dispose();
      throw new RangeError(
        `Cannot load ${options.name}: output node "${options.outputName}" is not in the graph; outputs are ${
          model.outputs.map((o) => o.name).join(", ")
        }`,
      );
    }
  }
  let useAsync = false;
  return networkFromRunner(options, async (input) => {
    let out: tf.Tensor;
    if (!useAsync) {
      try {
        out = model.execute(input, output) as tf.Tensor;
      } catch (e) {
        if (!/executeAsync/.test((e as Error).message)) throw e;
        useAsync = true;
        out = await model.executeAsync(input, output) as tf.Tensor;
      }
    } else {
      out = await model.executeAsync(input, output) as tf.Tensor;
    }
    try {
      return { data: Float32Array.from(await out.data()), shape: out.shape };
    } finally {
      out.dispose();
    }
  }, () => model.dispose());
}

/** A tf.io.IOHandler reading model.json and its shards with Deno.readFile. */
function fileHandler(modelJson: string | URL): tf.io.IOHandler {
  const url = modelJson instanceof URL
    ? modelJson
    : modelJson.startsWith("file://")
    ? new URL(modelJson)
    : new URL(modelJson, `file://${Deno.cwd()}/`);
  return {
    load: async () => {
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(await Deno.readTextFile(url));
      } catch (e) {
        throw new TypeError(`Cannot load graph model ${url.pathname}: ${(e as Error).message}`);
      }
      if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
        throw new TypeError(
          `Cannot load graph model ${url.pathname}: expected modelTopology and weightsManifest in model.json`,
        );
      }
      return await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const shards = await Promise.all(
          manifest.flatMap((group) => group.paths.map((p) => Deno.readFile(new URL(p, url)))),
        );
        const total = shards.reduce((n, s) => n + s.length, 0);
        const bytes = new Uint8Array(total);
        let off = 0;
        for (const s of shards) {
          bytes.set(s, off);
          off += s.length;
        }
        return [specs, bytes.buffer];
      });
    },
  };
}
