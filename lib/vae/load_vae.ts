import * as tf from "@tensorflow/tfjs-core";
import { readSafetensors } from "../io/safetensors.ts";
import type { LatentStats, Vae, VaeConfig, VaeParams } from "./vae_config.ts";
import { VAE_FILES } from "./save_vae.ts";
import { vaeParamShapes } from "./vae_param_shapes.ts";

const CONFIG_KEYS = ["zDim", "dim", "dimMult", "numResBlocks", "temporalDownsample"] as const;

/**
 * Loads a VAE saved by `saveVae` (or a converted Wan checkpoint with the same
 * names next to a config.json): every parameter the configuration needs must
 * be present with its exact shape, and no unknown tensor may be present.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (state-dict names of `WanVAE_`).
 *
 * @param dir the folder holding `vae.safetensors` and `config.json`
 * @returns the model, with `stats` when `latents_mean`/`latents_std` are stored
 * @throws {TypeError} on a malformed config, a missing, misshapen or unknown tensor
 * @example
 * ```ts
 * import { initEngine } from "../engine/mod.ts";
 * await initEngine({ backend: "cpu" });
 * import { Prng } from "../random/prng.ts";
 * import { initVaeParams, loadVae, saveVae, VAE_PRESETS } from "./mod.ts";
 * const config = VAE_PRESETS["vae-smoke"];
 * const dir = await Deno.makeTempDir();
 * await saveVae(dir, { config, params: initVaeParams(config, { prng: new Prng(0) }) });
 * const vae = await loadVae(dir);
 * ```
 */
export async function loadVae(dir: string): Promise<Vae> {
  const configPath = `${dir}/${VAE_FILES.config}`;
  const raw = JSON.parse(await Deno.readTextFile(configPath));
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new TypeError(`Cannot load VAE as ${configPath} must hold a JSON object: received ${JSON.stringify(raw)}`);
  }
  const unknown = Object.keys(raw).filter((k) => !(CONFIG_KEYS as readonly string[]).includes(k));
  const missing = CONFIG_KEYS.filter((k) => !(k in raw));
  if (unknown.length || missing.length) {
    throw new TypeError(
      `Cannot load VAE as ${configPath} must have exactly the keys ${CONFIG_KEYS.join(", ")}: ` +
        `unknown [${unknown.join(", ")}], missing [${missing.join(", ")}]`,
    );
  }
  const config = raw as VaeConfig;
  const shapes = vaeParamShapes(config);

  const weightsPath = `${dir}/${VAE_FILES.weights}`;
  const { tensors } = await readSafetensors(weightsPath);
  const extra = Object.keys(tensors).filter((k) => !(k in shapes) && k !== "latents_mean" && k !== "latents_std");
  if (extra.length) {
    throw new TypeError(
      `Cannot load VAE as ${weightsPath} holds ${extra.length} tensor(s) the config does not use: ${extra.slice(0, 5).join(", ")}`,
    );
  }
  for (const [name, shape] of Object.entries(shapes)) {
    const t = tensors[name];
    if (!t) throw new TypeError(`Cannot load VAE as ${weightsPath} lacks "${name}" [${shape.join(", ")}]`);
    if (t.shape.join() !== shape.join()) {
      throw new TypeError(
        `Cannot load VAE as "${name}" in ${weightsPath} must be [${shape.join(", ")}]: received [${t.shape.join(", ")}]`,
      );
    }
  }
  const params: VaeParams = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const initial = tf.tensor(tensors[name].data, shape);
    params[name] = tf.variable(initial, true);
    initial.dispose();
  }

  const m = tensors.latents_mean, s = tensors.latents_std;
  let stats: LatentStats | undefined;
  if (m || s) {
    if (!m || !s || m.shape.join() !== `${config.zDim}` || s.shape.join() !== `${config.zDim}`) {
      throw new TypeError(
        `Cannot load VAE as latents_mean and latents_std in ${weightsPath} must both be [${config.zDim}]: ` +
          `received ${m ? `[${m.shape.join(", ")}]` : "none"} and ${s ? `[${s.shape.join(", ")}]` : "none"}`,
      );
    }
    stats = { mean: Float32Array.from(m.data), std: Float32Array.from(s.data) };
  }
  return stats ? { config, params, stats } : { config, params };
}
