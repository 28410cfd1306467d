import type { VaeConfig } from "./vae_config.ts";
import { paramSpecs } from "./_architecture.ts";

/**
 * The name and PyTorch shape of every VAE parameter, as in Wan's state dict
 * (`encoder.conv1.weight` [dim, 3, 3, 3, 3], `encoder.downsamples.0.residual.0.gamma`,
 * `encoder.middle.1.to_qkv.weight`, `conv1.weight`, `decoder.upsamples.3.time_conv.weight`, …).
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (module names of `WanVAE_`).
 *
 * @param config the VAE size
 * @returns shapes keyed by state-dict name, in state-dict order
 * @example
 * ```ts
 * import { vaeParamShapes } from "./vae_param_shapes.ts";
 * import { VAE_PRESETS } from "./vae_presets.ts";
 * const shapes = vaeParamShapes(VAE_PRESETS["wan2.1"]);
 * console.log(shapes["encoder.conv1.weight"]); // [96, 3, 3, 3, 3]
 * ```
 */
export function vaeParamShapes(config: VaeConfig): Record<string, number[]> {
  const shapes: Record<string, number[]> = {};
  for (const s of paramSpecs(config)) shapes[s.name] = s.shape;
  return shapes;
}
