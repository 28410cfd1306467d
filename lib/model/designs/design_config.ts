/**
 * The conditioning designs of the RealisDance-DiT ablation as data: a
 * discriminated union over `kind`, a fine-tuning scope, and one checker whose
 * errors name the field, the received value and what was expected.
 *
 * - `concat` (RealisDance-DiT): reference latent tokens appended to the video
 *   tokens along the sequence (with shifted RoPE), pose latents patch-embedded
 *   and added to the video tokens through a zero-initialised Linear.
 * - `reference-net`: a copy of the DiT's blocks runs on the reference latent;
 *   its per-block hidden states are extra keys/values of the denoising
 *   network's self-attention (Animate Anyone's spatial attention).
 * - `light-reference-net`: the same with fewer (optionally narrower) blocks
 *   injected into a chosen subset of denoising blocks.
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §3 and its ablation of model
 * designs; damo-cv/RealisDance `src/models/rd_dit.py` (`add_conv_in`,
 * `add_proj` zero-initialised, `attn_conv_in`, `ShiftedWanRotaryPosEmbed`);
 * Animate Anyone (arXiv 2311.17117) §3.2 (ReferenceNet, spatial attention).
 *
 * @module
 */
import type { WanConfig } from "../wan_config.ts";
import type { LoraConfig } from "./lora_config.ts";

/** The three pose conditions, each a VAE-encoded video [B, C, F, H, W]. */
export const POSE_NAMES = ["skeleton", "hands", "body"] as const;
/** A pose condition: DWPose-style skeleton, HaMeR-style hands, SMPL-style body render. */
export type PoseName = typeof POSE_NAMES[number];

/** One model design of the ablation. Pose latents are channel-concatenated in `poses` order. */
export type DesignConfig =
  | {
    readonly kind: "concat";
    /** Reference tokens at h ∈ [H, H+H'), w ∈ [W, W+W') (true) or at h ∈ [0, H'), w ∈ [0, W') (false). */
    readonly shiftedRope: boolean;
    /** Reference tokens at frame F (past the last video frame) instead of frame 0. */
    readonly frameShift: boolean;
    readonly poses: readonly PoseName[];
  }
  | { readonly kind: "reference-net"; readonly poses: readonly PoseName[] }
  | {
    readonly kind: "light-reference-net";
    readonly poses: readonly PoseName[];
    /** Blocks of the reference net. */
    readonly blocks: number;
    /** The denoising block each reference block feeds, strictly increasing, one per reference block. */
    readonly inject: readonly number[];
    /** Width of the reference net (default the DiT's); narrower ones are projected to the DiT's width. */
    readonly dim?: number;
  };

/** The kinds of {@link DesignConfig}. */
export type DesignKind = DesignConfig["kind"];

/**
 * What trains: `full` (every used parameter), `part` (the new condition layers
 * and every denoising block's self-attention), `{ lora }` (the new condition
 * layers and low-rank adapters on the chosen linear layers of every block,
 * the foundation frozen), or explicit names/patterns (glob with `*` inside one
 * dot-separated segment and `**` across segments, or a regular expression
 * written `/…/`).
 */
export type FinetuneScope =
  | "full"
  | "part"
  | { readonly lora: LoraConfig }
  | { readonly trainable: readonly string[] };

/** Options of {@link checkDesignConfig}. */
export interface CheckDesignConfigOptions {
  /** The foundation's configuration, to check block indices and widths against it. */
  cfg?: WanConfig;
}

/**
 * @param design the design to check (e.g. parsed from JSON)
 * @param options the foundation configuration for cross-checks
 * @returns the same design
 * @example
 * ```ts
 * import { checkDesignConfig } from "./design_config.ts";
 * checkDesignConfig({ kind: "concat", shiftedRope: true, frameShift: false, poses: ["skeleton", "hands"] });
 * ```
 */
export function checkDesignConfig<D extends DesignConfig>(design: D, options: CheckDesignConfigOptions = {}): D {
  const d = design as DesignConfig & Record<string, unknown>;
  if (d === null || typeof d !== "object") {
    throw new TypeError(`Cannot use the design as it must be an object: received ${JSON.stringify(design)}`);
  }
  const kinds = ["concat", "reference-net", "light-reference-net"];
  if (!kinds.includes(d.kind)) {
    throw new RangeError(
      `Cannot use the design as kind must be one of ${kinds.join(", ")}: received ${JSON.stringify(d.kind)}`,
    );
  }
  const allowed: Record<DesignKind, string[]> = {
    "concat": ["kind", "shiftedRope", "frameShift", "poses"],
    "reference-net": ["kind", "poses"],
    "light-reference-net": ["kind", "poses", "blocks", "inject", "dim"],
  };
  for (const key of Object.keys(d)) {
    if (!allowed[d.kind].includes(key)) {
      throw new RangeError(
        `Cannot use the ${d.kind} design as it has no field "${key}": expected ${allowed[d.kind].join(", ")}`,
      );
    }
  }
  if (!Array.isArray(d.poses)) {
    throw new TypeError(`Cannot use the design as poses must be an array: received ${JSON.stringify(d.poses)}`);
  }
  const seen = new Set<string>();
  for (const p of d.poses) {
    if (!(POSE_NAMES as readonly string[]).includes(p)) {
      throw new RangeError(
        `Cannot use the design as poses must hold names from ${POSE_NAMES.join(", ")}: received ${JSON.stringify(p)}`,
      );
    }
    if (seen.has(p)) throw new RangeError(`Cannot use the design as poses lists "${p}" twice`);
    seen.add(p);
  }
  const cfg = options.cfg;
  if (d.kind === "concat") {
    for (const key of ["shiftedRope", "frameShift"] as const) {
      if (typeof d[key] !== "boolean") {
        throw new TypeError(
          `Cannot use the concat design as ${key} must be a boolean: received ${JSON.stringify(d[key])}`,
        );
      }
    }
  } else if (d.kind === "light-reference-net") {
    if (!Number.isInteger(d.blocks) || d.blocks < 1) {
      throw new RangeError(
        `Cannot use the light-reference-net design as blocks must be an integer >= 1: received ${d.blocks}`,
      );
    }
    if (!Array.isArray(d.inject) || d.inject.length !== d.blocks) {
      throw new RangeError(
        `Cannot use the light-reference-net design as inject must list one denoising block per reference block (${d.blocks}): received ${
          JSON.stringify(d.inject)
        }`,
      );
    }
    d.inject.forEach((v, i) => {
      const prev = i > 0 ? d.inject[i - 1] : -1;
      if (!Number.isInteger(v) || v <= prev) {
        throw new RangeError(
          `Cannot use the light-reference-net design as inject must be strictly increasing integers >= 0: received ${
            JSON.stringify(d.inject)
          }`,
        );
      }
      if (cfg && v >= cfg.num_layers) {
        throw new RangeError(
          `Cannot use the light-reference-net design as inject[${i}] must be < num_layers = ${cfg.num_layers}: received ${v}`,
        );
      }
    });
    if (d.dim !== undefined) {
      if (!Number.isInteger(d.dim) || d.dim < 1) {
        throw new RangeError(
          `Cannot use the light-reference-net design as dim must be a positive integer: received ${d.dim}`,
        );
      }
      if (cfg) {
        const headDim = cfg.dim / cfg.num_heads;
        if (d.dim > cfg.dim || d.dim % headDim !== 0) {
          throw new RangeError(
            `Cannot use the light-reference-net design as dim must be a multiple of the head dim ${headDim} and <= ${cfg.dim}: received ${d.dim}`,
          );
        }
      }
    }
    if (cfg && d.blocks > cfg.num_layers) {
      throw new RangeError(
        `Cannot use the light-reference-net design as blocks must be <= num_layers = ${cfg.num_layers}: received ${d.blocks}`,
      );
    }
  }
  return design;
}
