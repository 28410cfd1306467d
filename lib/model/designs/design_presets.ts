/**
 * The four rows of the paper's ablation of model designs as named presets, a
 * design and its fine-tuning scope, plus LoRA as a fifth. Pose conditions are the paper's three;
 * the released model uses two, body then hands (SMPL and HaMeR renders,
 * `add_cond_in_dim` 32): `poses: ["body", "hands"]`.
 *
 * References: RealisDance-DiT (arXiv 2504.14977), ablation table of model
 * designs (Reference Net, light Reference Net, full fine-tune, part fine-tune);
 * Hu et al. 2021, "LoRA"; modelscope/DiffSynth-Studio Wan LoRA training (rank = α);
 * damo-cv/RealisDance `src/pipelines/rd_dit_pipeline.py` (pose order smpl, hamer).
 *
 * @module
 */
import type { DesignConfig, FinetuneScope, PoseName } from "./design_config.ts";

/** A design together with what trains. */
export interface DesignPreset {
  readonly design: DesignConfig;
  readonly scope: FinetuneScope;
}

const POSES = ["skeleton", "hands", "body"] as const satisfies readonly PoseName[];

/**
 * The ablation's rows. `light-reference-net` has two full-width reference
 * blocks feeding denoising blocks 0 and 2 (it needs a foundation with >= 3
 * blocks, e.g. `wan-toy`). `lora`, beyond the paper, is the concat design
 * with the foundation frozen: rank-8 adapters (α = 8, scale 1) on every
 * block's self-attention q, k, v, o, where part fine-tuning trains those
 * weights whole, and the condition layers trained fully as in part
 * fine-tuning. On wan-toy (dim 128, 4 blocks) the adapters are
 * 4·4·8·(128 + 128) = 32,768 values against the self-attention's 265,216.
 *
 * @example
 * ```ts
 * import { DESIGN_PRESETS } from "./design_presets.ts";
 * console.log(DESIGN_PRESETS["part-finetune"].scope); // "part"
 * ```
 */
export const DESIGN_PRESETS = {
  "reference-net": { design: { kind: "reference-net", poses: POSES }, scope: "full" },
  "light-reference-net": {
    design: { kind: "light-reference-net", poses: POSES, blocks: 2, inject: [0, 2] },
    scope: "full",
  },
  "full-finetune": { design: { kind: "concat", shiftedRope: true, frameShift: false, poses: POSES }, scope: "full" },
  "part-finetune": { design: { kind: "concat", shiftedRope: true, frameShift: false, poses: POSES }, scope: "part" },
  lora: {
    design: { kind: "concat", shiftedRope: true, frameShift: false, poses: POSES },
    scope: { lora: { rank: 8, alpha: 8, targets: ["self_attn.q", "self_attn.k", "self_attn.v", "self_attn.o"] } },
  },
  /**
   * Part fine-tune with the reference spatially aligned with the video (no spatial shift) and placed one
   * frame past the last (`frameShift`): not the paper's placement; a probe of what the shift costs at small scale.
   */
  "part-finetune-frame-shift": { design: { kind: "concat", shiftedRope: false, frameShift: true, poses: POSES }, scope: "part" },
} as const satisfies Record<string, DesignPreset>;

/** A key of {@link DESIGN_PRESETS}. */
export type DesignPresetName = keyof typeof DESIGN_PRESETS;

/**
 * Looks a design preset up by a name that comes from outside (CLI, JSON).
 *
 * @param name a preset name
 * @returns the preset
 * @example
 * ```ts
 * import { getDesignPreset } from "./design_presets.ts";
 * console.log(getDesignPreset("reference-net").design.kind); // "reference-net"
 * ```
 */
export function getDesignPreset(name: string): DesignPreset {
  if (!Object.hasOwn(DESIGN_PRESETS, name)) {
    throw new RangeError(
      `Unknown design preset "${name}": expected one of ${Object.keys(DESIGN_PRESETS).join(", ")}`,
    );
  }
  return DESIGN_PRESETS[name as DesignPresetName];
}
