/**
 * The latent cache of the animate task: a split's encoded conditions (the
 * clips' normalised latents, the reference latents, the pose latents and the
 * frozen text side's contexts) are computed once per content and shared by
 * every run and sweep that asks for the same key, in `datasets/.cache/latents/`
 * (git-ignored). The key names everything the tensors depend on: the VAE's
 * and the text encoder's weight files (by SHA-256), the synthetic generator's
 * version, the set, split and clip range, the clip size and the pose list.
 * A VAE trained by the run itself (no `vae.checkpoint`) is never cached.
 *
 * References: none (a build cache over lib/io TensorCache).
 */
import * as tf from "@tensorflow/tfjs-core";
import { TensorCache } from "../io/tensor_cache.ts";
import { sha256Hex } from "../io/sha256_hex.ts";
import { GENERATOR_VERSION } from "../synthetic/version.ts";
import type { AnimateRunConfig } from "./run_config.ts";
import type { EncodedConditions } from "./_design_conditions.ts";

/** The default cache folder: datasets/.cache/latents of this repository. */
export const DEFAULT_LATENT_CACHE = new URL("../../datasets/.cache/latents", import.meta.url).pathname;

/** Whether a split's conditions came from the cache, and its key. */
export interface LatentCacheUse {
  status: "hit" | "miss" | "off";
  key: string | null;
}

const DIGESTS = new Map<string, string>();

/** SHA-256 hex of a file's bytes (memoised per process by path and modification time). */
async function fileDigest(path: string): Promise<string> {
  const st = await Deno.stat(path);
  const memo = `${path}@${st.mtime?.getTime()}@${st.size}`;
  const known = DIGESTS.get(memo);
  if (known) return known;
  const hex = await sha256Hex(await Deno.readFile(path));
  DIGESTS.set(memo, hex);
  return hex;
}

/**
 * @param cfg the run config (vae.checkpoint, model.checkpoint, model.design.poses, data size)
 * @param selection the split: set, split name and how many clips from its start
 * @param compute encodes the conditions when the cache has no entry
 * @param options the cache folder (default {@link DEFAULT_LATENT_CACHE}; env WORKBENCH_LATENT_CACHE;
 *   "off" disables it)
 * @returns the conditions (the caller disposes them) and how they were obtained
 * @example
 * ```ts ignore
 * const { conditions, use } = await cachedConditions(cfg, { set: "finetune", split: "train", count: 256 },
 *   () => dc.encode(clips, video));
 * ```
 */
export async function cachedConditions(
  cfg: AnimateRunConfig,
  selection: { set: string; split: string; count: number },
  compute: () => EncodedConditions,
  options: { root?: string } = {},
): Promise<{ conditions: EncodedConditions; use: LatentCacheUse }> {
  const root = options.root ?? Deno.env.get("WORKBENCH_LATENT_CACHE") ?? DEFAULT_LATENT_CACHE;
  if (root === "off" || !cfg.vae.checkpoint || !cfg.model.checkpoint) {
    return { conditions: compute(), use: { status: "off", key: null } };
  }
  const key = await TensorCache.key({
    kind: "design-conditions/1",
    vae: await fileDigest(`${cfg.vae.checkpoint}/vae.safetensors`),
    textEncoder: await fileDigest(`${cfg.model.checkpoint}/text_encoder.safetensors`),
    generator: GENERATOR_VERSION,
    ...selection,
    frames: cfg.data.frames,
    height: cfg.data.height,
    width: cfg.data.width,
    poses: cfg.model.design.poses,
  });
  const cache = new TensorCache(root);
  const stored = await cache.get(key);
  const names = ["latents", "reference", "pose", "context"] as const;
  if (stored && names.every((n) => n in stored)) {
    const conditions = Object.fromEntries(names.map((n) => [n, tf.tensor(stored[n].data, stored[n].shape)])) as EncodedConditions;
    return { conditions, use: { status: "hit", key } };
  }
  const conditions = compute();
  const arrays: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const n of names) arrays[n] = { shape: conditions[n].shape, data: (await conditions[n].data()) as Float32Array };
  await cache.put(key, arrays);
  return { conditions, use: { status: "miss", key } };
}
