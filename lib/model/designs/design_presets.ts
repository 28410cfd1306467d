/**
 * The four rows of the paper's ablation of model designs as named presets:
 * a design and its fine-tuning scope. Pose conditions are the paper's three;
 * the released model uses two, body then hands (SMPL and HaMeR renders,
 * `add_cond_in_dim` 32): `poses: ["body", "hands"]`.
 *
 * References: RealisDance-DiT (arXiv 2504.14977), ablation table of model
 * designs (Reference Net, light Reference Net, full fine-tune, part fine-tune);
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
 * blocks, e.g. `wan-toy`).
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
