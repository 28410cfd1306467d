/**
 * Counts a design's parameters and, for a fine-tuning scope, its trainable
 * ones, from the configuration alone (nothing is allocated), e.g. to predict
 * whether a design fits a memory budget before building it.
 *
 * References: RealisDance-DiT (arXiv 2504.14977), ablation of model designs
 * (parameter counts of Reference Net vs. the concat design).
 *
 * @module
 */
import type { WanConfig } from "../wan_config.ts";
import type { DesignConfig, FinetuneScope } from "./design_config.ts";
import { designParamShapes } from "./design_param_shapes.ts";
import { resolveTrainable } from "./resolve_trainable.ts";

/** Options of {@link countDesignParams}. */
export interface CountDesignParamsOptions {
  /** Channels C of one VAE latent (default the DiT's in_dim). */
  latentChannels?: number;
  /** The scope to count trainable values for (default "full"). */
  scope?: FinetuneScope;
}

/**
 * @param cfg the foundation's configuration
 * @param design the design
 * @param options latent channels and scope
 * @returns total and trainable numbers of scalar parameters
 * @example
 * ```ts
 * import { countDesignParams } from "./count_design_params.ts";
 * import { MODEL_PRESETS } from "../model_presets.ts";
 * const n = countDesignParams(MODEL_PRESETS["wan-smoke"], { kind: "reference-net", poses: [] });
 * console.log(n.total > n.trainable); // true: the last reference block's attention and FFN are unused
 * ```
 */
export function countDesignParams(
  cfg: WanConfig,
  design: DesignConfig,
  options: CountDesignParamsOptions = {},
): { total: number; trainable: number } {
  const shapes = designParamShapes(cfg, design, { latentChannels: options.latentChannels, scope: options.scope });
  const size = new Map(shapes.map(([n, s]) => [n, s.reduce((a, b) => a * b, 1)]));
  const trainable = resolveTrainable(design, shapes.map(([n]) => n), options.scope ?? "full");
  let total = 0;
  for (const v of size.values()) total += v;
  return { total, trainable: trainable.reduce((a, n) => a + size.get(n)!, 0) };
}
