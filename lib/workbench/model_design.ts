/**
 * A run's `model.design`: the design union of lib/model/designs (kind, the
 * reference's RoPE placement, poses, …) together with its fine-tuning scope
 * (`full | part | { lora } | { trainable }`), one value. Experiments may name
 * a preset of DESIGN_PRESETS instead ("part-finetune"); it resolves to the
 * value here, so a resolved config (and config.json) always holds the design
 * itself, and a run id made from the name keeps reading like the paper's rows.
 *
 * References: RealisDance-DiT (arXiv 2504.14977), the ablation of model designs.
 *
 * @module
 */
import {
  checkDesignConfig,
  checkLoraConfig,
  DESIGN_PRESETS,
  type DesignConfig,
  type DesignPresetName,
  type FinetuneScope,
} from "../model/designs/mod.ts";
import { didYouMean } from "./_did_you_mean.ts";
import { canonicalJson } from "./_canonical_json.ts";

/** A design and what of it trains, e.g. `{ kind: "concat", shiftedRope: true, frameShift: false, poses: [...], scope: "part" }`. */
export type ModelDesign = DesignConfig & { readonly scope: FinetuneScope };

/**
 * @param name a key of DESIGN_PRESETS
 * @returns its design with its scope, as a run config holds it
 * @example
 * ```ts
 * import { presetDesign } from "./model_design.ts";
 * console.log(presetDesign("part-finetune").scope); // "part"
 * ```
 */
export function presetDesign(name: DesignPresetName): ModelDesign {
  if (!Object.hasOwn(DESIGN_PRESETS, name)) {
    const known = Object.keys(DESIGN_PRESETS);
    const near = didYouMean(String(name), known);
    throw new RangeError(
      `Unknown design preset ${JSON.stringify(name)}${near ? ` (did you mean "${near}"?)` : ""}: expected one of ${known.join(", ")}`,
    );
  }
  const p = DESIGN_PRESETS[name];
  return structuredClone({ ...p.design, scope: p.scope }) as ModelDesign;
}

/**
 * A design as written in an experiment (a preset's name or the value) as the
 * resolved config holds it, checked.
 * @param value a preset name or a {@link ModelDesign}
 * @param where what messages are prefixed with
 * @returns the design value
 * @throws {RangeError} naming the field, the value received and what was expected
 */
export function resolveModelDesign(value: unknown, where = "model.design"): ModelDesign {
  if (typeof value === "string") {
    try {
      return presetDesign(value as DesignPresetName);
    } catch (e) {
      throw new RangeError(`${where}: ${(e as Error).message}`);
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${where} must be a design preset's name or a design with its scope, received ${JSON.stringify(value)}`);
  }
  const { scope, ...design } = value as Record<string, unknown>;
  try {
    checkDesignConfig(design as DesignConfig);
    checkScope(scope);
  } catch (e) {
    throw new RangeError(`${where}: ${(e as Error).message}`);
  }
  return value as ModelDesign;
}

/**
 * The name a design is reported under (metrics' `design` column, run ids,
 * messages): the DESIGN_PRESETS key whose value it equals, else its kind, its
 * reference placement (concat) and its scope.
 * @param design the design
 * @returns e.g. "part-finetune", or "concat-unshifted-part" for a design no preset holds
 * @example
 * ```ts
 * import { designLabel, presetDesign } from "./model_design.ts";
 * console.log(designLabel(presetDesign("lora"))); // "lora"
 * const unshifted = { kind: "concat", shiftedRope: false, frameShift: false, poses: ["skeleton"], scope: "part" } as const;
 * console.log(designLabel(unshifted)); // "concat-unshifted-part"
 * ```
 */
export function designLabel(design: ModelDesign): string {
  const key = canonicalJson(design);
  for (const name of Object.keys(DESIGN_PRESETS) as DesignPresetName[]) {
    if (canonicalJson(presetDesign(name)) === key) return name;
  }
  const s = design.scope;
  const placement = design.kind === "concat" ? `${design.shiftedRope ? "" : "-unshifted"}${design.frameShift ? "-frame-shift" : ""}` : "";
  return `${design.kind}${placement}-${typeof s === "string" ? s : Object.keys(s)[0]}`;
}

/**
 * @param value any config value
 * @returns whether it is a design with its scope (a `kind` of the design union and a `scope`)
 */
export function isModelDesign(value: unknown): value is ModelDesign {
  return typeof value === "object" && value !== null && "scope" in value &&
    ["concat", "reference-net", "light-reference-net"].includes(String((value as { kind?: unknown }).kind));
}

/**
 * @param design a run's design
 * @returns the design union value and the scope apart, as lib/model/designs takes them
 */
export function splitDesign(design: ModelDesign): { design: DesignConfig; scope: FinetuneScope } {
  const { scope, ...rest } = design;
  return { design: rest as DesignConfig, scope };
}

function checkScope(scope: unknown): void {
  if (scope === "full" || scope === "part") return;
  if (typeof scope === "object" && scope !== null && !Array.isArray(scope)) {
    const keys = Object.keys(scope);
    const s = scope as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === "lora") return void checkLoraConfig(s.lora as never);
    if (keys.length === 1 && keys[0] === "trainable" && Array.isArray(s.trainable) && s.trainable.every((n) => typeof n === "string")) return;
  }
  throw new RangeError(
    `Cannot use the fine-tuning scope ${JSON.stringify(scope)}: expected "full", "part", { lora: { rank, alpha, targets } } or { trainable: string[] }`,
  );
}
