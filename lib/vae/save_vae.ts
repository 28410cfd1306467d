import { atomicWrite } from "../io/atomic_write.ts";
import { type TensorToWrite, writeSafetensors } from "../io/safetensors.ts";
import type { Vae } from "./vae_config.ts";
import { vaeCompression } from "./vae_compression.ts";

/** File names inside a VAE checkpoint folder. */
export const VAE_FILES = { weights: "vae.safetensors", config: "config.json" } as const;

/**
 * Saves a VAE to a folder: `vae.safetensors` (every parameter under its Wan
 * state-dict name, float32, plus `latents_mean` and `latents_std` [zDim] when
 * the statistics are set) and `config.json` (the VaeConfig). Both files are
 * written atomically; the folder is created if needed.
 *
 * References: safetensors format (huggingface/safetensors README).
 *
 * @param dir destination folder
 * @param vae the model (and its statistics, if computed)
 * @returns resolves when both files are in place
 * @example
 * ```ts
 * import { initEngine } from "../engine/mod.ts";
 * await initEngine({ backend: "cpu" });
 * import { Prng } from "../random/prng.ts";
 * import { initVaeParams, saveVae, VAE_PRESETS } from "./mod.ts";
 * const config = VAE_PRESETS["vae-smoke"];
 * await saveVae(await Deno.makeTempDir(), { config, params: initVaeParams(config, { prng: new Prng(0) }) });
 * ```
 */
export async function saveVae(dir: string, vae: Vae): Promise<void> {
  const { config, params, stats } = vae;
  vaeCompression(config);
  await Deno.mkdir(dir, { recursive: true });
  const tensors: Record<string, TensorToWrite> = {};
  for (const [name, v] of Object.entries(params)) {
    tensors[name] = { shape: [...v.shape], data: (await v.data()) as Float32Array };
  }
  if (stats) {
    tensors.latents_mean = { shape: [stats.mean.length], data: Float32Array.from(stats.mean) };
    tensors.latents_std = { shape: [stats.std.length], data: Float32Array.from(stats.std) };
  }
  const configJson = JSON.stringify(config, null, 2) + "\n";
  await writeSafetensors(`${dir}/${VAE_FILES.weights}`, tensors, { format: "pt", vae_config: JSON.stringify(config) });
  await atomicWrite(`${dir}/${VAE_FILES.config}`, configJson);
}
