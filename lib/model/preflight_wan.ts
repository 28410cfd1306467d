/**
 * Pre-flight estimate of the largest single tensors of a Wan DiT step on the
 * webgpu backend, checked against the device's per-tensor binding limit
 * before anything runs. Off the blas backend the attention is composed from
 * tf ops, which materialise the [B, heads, L, L] scores (and their softmax):
 * at Wan-2.1 sizes these are far larger than any binding limit (1.3B at
 * 480p, 81 frames: L = 32 760 tokens, 48 GiB of scores per sample), so the
 * estimate names them first.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (token count
 * L = F/pt · H/ph · W/pw, FFN width, heads); Vaswani et al. 2017 §3.2 (the
 * L × L score matrix per head).
 *
 * @example
 * ```ts
 * import { preflightWan } from "./preflight_wan.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * const plan = preflightWan(MODEL_PRESETS["wan-bench"], { batch: 4, latent: [4, 16, 16] });
 * console.log(plan[0].name, plan[0].bytes); // "self-attention scores" 4194304
 * ```
 */
import type { WanConfig } from "./wan_config.ts";
import { checkBufferBytes } from "../engine/webgpu/check_buffer_bytes.ts";

/** One estimated tensor. */
export interface BufferEstimate {
  name: string;
  shape: number[];
  bytes: number;
}

/** Options of {@link preflightWan}. */
export interface PreflightWanOptions {
  batch: number;
  /** Latent frames, height and width [F, H, W]. */
  latent: [number, number, number];
  /** Tokens appended to the video tokens (e.g. a concat design's reference tokens; default 0). */
  extraTokens?: number;
  /** When given (the device's maxStorageBufferBindingSize), throws naming the first tensor over it. */
  limit?: number;
}

/**
 * @param cfg the DiT configuration
 * @param options batch, latent size, extra tokens and the optional limit
 * @returns the estimated tensors, largest first
 * @throws RangeError from {@link checkBufferBytes} for the largest tensor over `limit`
 */
export function preflightWan(cfg: WanConfig, options: PreflightWanOptions): BufferEstimate[] {
  const { batch: b, latent, extraTokens = 0 } = options;
  const [pt, ph, pw] = cfg.patch_size;
  const [f, h, w] = latent;
  if (
    ![b, f, h, w].every((v) => Number.isInteger(v) && v >= 1) || !(Number.isInteger(extraTokens) && extraTokens >= 0)
  ) {
    throw new RangeError(
      `Cannot estimate buffers as batch and latent sizes must be integers >= 1 and extraTokens >= 0: received batch ${b}, latent [${latent}], extraTokens ${extraTokens}`,
    );
  }
  if (f % pt || h % ph || w % pw) {
    throw new RangeError(
      `Cannot estimate buffers as the latent [${latent}] must be divisible by the patch size [${cfg.patch_size}]`,
    );
  }
  const l = (f / pt) * (h / ph) * (w / pw) + extraTokens;
  const n = cfg.num_heads;
  const list: [string, number[]][] = [
    ["self-attention scores", [b, n, l, l]],
    ["cross-attention scores", [b, n, l, cfg.text_len]],
    ["FFN hidden", [b, l, cfg.ffn_dim]],
    ["tokens", [b, l, cfg.dim]],
    ["head output", [b, l, pt * ph * pw * cfg.out_dim]],
    ["latents", [b, cfg.in_dim, f, h, w]],
  ];
  const plan = list
    .map(([name, shape]) => ({ name, shape, bytes: shape.reduce((a, v) => a * v, 4) }))
    .sort((x, y) => y.bytes - x.bytes);
  if (options.limit !== undefined) {
    for (const e of plan) checkBufferBytes(e.shape, { what: `the Wan DiT's ${e.name}`, limit: options.limit });
  }
  return plan;
}
