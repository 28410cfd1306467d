/**
 * Private: the shape of a design's reference net (blocks, width, injection
 * map) derived from the foundation's configuration.
 *
 * @module
 */
import type { WanConfig } from "../wan_config.ts";
import type { DesignConfig } from "./design_config.ts";

/** A reference net: its own block configuration and which denoising block each of its blocks feeds. */
export interface ReferenceNetLayout {
  /** The reference net's blocks as a Wan configuration (num_layers = its block count). */
  cfg: WanConfig;
  /** inject[j] = the denoising block fed by reference block j. */
  inject: number[];
  /** Narrower than the DiT: own text/time projections and one projection per injection. */
  narrow: boolean;
}

/** @returns the layout of a reference-net design's reference net, or null for the concat design. */
export function referenceNetLayout(cfg: WanConfig, design: DesignConfig): ReferenceNetLayout | null {
  if (design.kind === "concat") return null;
  if (design.kind === "reference-net") {
    return {
      cfg: { ...cfg },
      inject: Array.from({ length: cfg.num_layers }, (_, i) => i),
      narrow: false,
    };
  }
  const dim = design.dim ?? cfg.dim;
  const headDim = cfg.dim / cfg.num_heads;
  const narrow = dim !== cfg.dim;
  return {
    cfg: {
      ...cfg,
      dim,
      num_heads: dim / headDim,
      ffn_dim: narrow ? Math.max(1, Math.round((cfg.ffn_dim * dim) / cfg.dim)) : cfg.ffn_dim,
      num_layers: design.blocks,
    },
    inject: [...design.inject],
    narrow,
  };
}
