/**
 * Loads a feature network saved as ONNX and runs it with onnxruntime-node
 * (CPU execution provider) under Deno.
 *
 * onnxruntime-node 1.30.0 imports and runs under Deno 2.9 here (its N-API
 * binding ships inside the npm package; the install script, which only
 * fetches optional GPU binaries, is not needed). It is imported lazily, so
 * the ~300 MB package is fetched only by users who load an ONNX model.
 *
 * References: ONNX Runtime JavaScript API (InferenceSession.create / run).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { FeatureNetwork, NetworkSpec } from "./feature_network.ts";
import { networkFromRunner } from "./_network_from_runner.ts";

/** The npm specifier imported at run time. */
export const ONNXRUNTIME_SPECIFIER = "npm:onnxruntime-node@1.30.0";

/** Options of {@link loadOnnxNetwork}. */
export interface OnnxNetworkOptions extends NetworkSpec {
  /** Input to feed (default: the model's first input). */
  inputName?: string;
  /** Output to read (default: the model's first output). */
  outputName?: string;
}

interface OrtTensor {
  dims: readonly number[];
  data: unknown;
  type: string;
}
interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface Ort {
  InferenceSession: { create(path: string, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: "float32", data: Float32Array, dims: number[]) => OrtTensor;
}

/**
 * Opens an ONNX model (e.g. a PyTorch network exported with torch.onnx.export)
 * as a {@link FeatureNetwork}. PyTorch exports usually want
 * `layout: "channels-first"`.
 *
 * @param path path of the .onnx file
 * @param options the network spec and input/output names
 * @returns the network; call dispose() when done
 * @example
 * ```ts ignore
 * import { loadOnnxNetwork } from "./load_onnx_network.ts";
 * const i3d = await loadOnnxNetwork("models/i3d.onnx", {
 *   name: "i3d-logits", kind: "video", inputSize: [224, 224], clipLength: 16, layout: "channels-first",
 * });
 * ```
 */
export async function loadOnnxNetwork(path: string, options: OnnxNetworkOptions): Promise<FeatureNetwork> {
  let ort: Ort;
  try {
    const spec = ONNXRUNTIME_SPECIFIER;
    const mod = await import(spec);
    ort = (mod.default?.InferenceSession ? mod.default : mod) as Ort;
  } catch (e) {
    throw new Error(`Cannot load ONNX model ${path}: importing ${ONNXRUNTIME_SPECIFIER} failed: ${(e as Error).message}`);
  }
  try {
    await Deno.stat(path);
  } catch {
    throw new TypeError(`Cannot load ONNX model: no file at ${path}`);
  }
  const session = await ort.InferenceSession.create(path, { executionProviders: ["cpu"] });
  const inputName = options.inputName ?? session.inputNames[0];
  const outputName = options.outputName ?? session.outputNames[0];
  if (!session.inputNames.includes(inputName)) {
    throw new RangeError(`Cannot load ${path}: input "${inputName}" not among ${session.inputNames.join(", ")}`);
  }
  if (!session.outputNames.includes(outputName)) {
    throw new RangeError(`Cannot load ${path}: output "${outputName}" not among ${session.outputNames.join(", ")}`);
  }
  return networkFromRunner(options, async (input: tf.Tensor) => {
    const feed = new ort.Tensor("float32", Float32Array.from(await input.data()), input.shape);
    const result = await session.run({ [inputName]: feed });
    const out = result[outputName];
    if (!(out.data instanceof Float32Array)) {
      throw new TypeError(`Cannot embed with ${options.name}: output "${outputName}" has type ${out.type}, expected float32`);
    }
    return { data: out.data, shape: [...out.dims] };
  }, () => void session.release());
}
