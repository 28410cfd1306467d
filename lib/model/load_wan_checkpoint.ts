/**
 * Loads a Wan DiT checkpoint folder: `config.json` plus
 * `diffusion_pytorch_model.safetensors` (or shards listed in
 * `diffusion_pytorch_model.safetensors.index.json`), in Wan's original naming
 * or in diffusers' `WanTransformer3DModel` naming (mapped to Wan's). Every
 * tensor is checked against the configuration: a missing, unexpected or
 * mis-shaped tensor is an error naming it. F16/BF16 weights become float32.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanModel.from_pretrained`
 * file layout); huggingface/diffusers `scripts/convert_wan_to_diffusers.py`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { readSafetensors } from "../io/safetensors.ts";
import { configFromJson } from "./config_from_json.ts";
import { diffusersToWanName } from "./diffusers_name_map.ts";
import type { Params, WanModel } from "./wan_model.ts";
import { wanParamShapes } from "./wan_param_shapes.ts";

const WEIGHTS = "diffusion_pytorch_model.safetensors";

/** Options of {@link loadWanCheckpoint}. */
export interface LoadWanCheckpointOptions {
  /** Make the variables trainable (default true). */
  trainable?: boolean;
}

/** A loaded checkpoint: the model and the naming it was stored in. */
export interface LoadedWanCheckpoint extends WanModel {
  format: "wan" | "diffusers";
}

/**
 * @param dir the checkpoint folder
 * @param options trainability of the created variables
 * @returns configuration, parameters (Wan names) and the source format
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { loadWanCheckpoint } from "./load_wan_checkpoint.ts";
 * const { cfg, params } = await loadWanCheckpoint("tests/fixtures/wan/smoke");
 * console.log(cfg.dim, params["head.head.weight"].shape); // 32 [16, 32]
 * ```
 */
export async function loadWanCheckpoint(
  dir: string,
  options: LoadWanCheckpointOptions = {},
): Promise<LoadedWanCheckpoint> {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
  } catch (e) {
    throw new Error(`Cannot load the Wan checkpoint in ${dir}: config.json unreadable (${(e as Error).message})`);
  }
  const diffusers = json._class_name === "WanTransformer3DModel" || "num_attention_heads" in json;
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const file of await weightFiles(dir)) {
    const content = await readSafetensors(`${dir}/${file}`);
    for (const [name, t] of Object.entries(content.tensors)) {
      const wanName = diffusers ? diffusersToWanName(name) : name;
      if (tensors[wanName]) throw new Error(`Cannot load the Wan checkpoint in ${dir}: "${wanName}" appears twice`);
      tensors[wanName] = { shape: t.shape, data: t.data };
    }
  }
  const shapes = Object.fromEntries(Object.entries(tensors).map(([k, v]) => [k, v.shape]));
  const { cfg, format } = configFromJson(json, { shapes });
  const expected = wanParamShapes(cfg);
  const problems: string[] = [];
  const expectedNames = new Set(expected.map(([n]) => n));
  for (const [name, shape] of expected) {
    const got = tensors[name];
    if (!got) problems.push(`missing ${name} [${shape}]`);
    else if (!tf.util.arraysEqual(got.shape, shape)) {
      problems.push(`${name}: expected [${shape}], received [${got.shape}]`);
    }
  }
  for (const name of Object.keys(tensors)) if (!expectedNames.has(name)) problems.push(`unexpected ${name}`);
  if (problems.length > 0) {
    const list = problems.slice(0, 8).join("; ") + (problems.length > 8 ? `; … ${problems.length - 8} more` : "");
    throw new RangeError(`Cannot load the Wan checkpoint in ${dir} as its tensors do not match config.json: ${list}`);
  }
  const trainable = options.trainable ?? true;
  const params: Params = {};
  for (const [name, shape] of expected) {
    params[name] = tf.tidy(() => tf.variable(tf.tensor(tensors[name].data, shape, "float32"), trainable));
  }
  return { cfg, params, format };
}

async function weightFiles(dir: string): Promise<string[]> {
  const index = `${dir}/${WEIGHTS}.index.json`;
  if (await exists(index)) {
    const map = JSON.parse(await Deno.readTextFile(index)).weight_map as Record<string, string> | undefined;
    if (!map) throw new Error(`Cannot load the Wan checkpoint in ${dir}: ${WEIGHTS}.index.json has no weight_map`);
    return [...new Set(Object.values(map))].sort();
  }
  if (await exists(`${dir}/${WEIGHTS}`)) return [WEIGHTS];
  throw new Error(`Cannot load the Wan checkpoint in ${dir}: expected ${WEIGHTS} or ${WEIGHTS}.index.json`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
