/**
 * The guidance of a sampler, as data: one member per kind, each in its own
 * file. Adding a kind is one member here, one entry in {@link GUIDANCE_KINDS}
 * and one file fulfilling `GuidanceKind`.
 *
 * References: Ho & Salimans 2022 (classifier-free guidance); Karras et al.
 * 2024 (autoguidance).
 */
import { type Autoguidance, autoguidance, type AutoguidanceInputs } from "./autoguidance.ts";
import { type CfgGuidance, cfgGuidance, type CfgInputs } from "./cfg_guidance.ts";
import type { GuidanceKind } from "./guidance_kind.ts";
import { type NoGuidance, noGuidance } from "./no_guidance.ts";

/** How a sampler guides its steps: not at all, classifier-free, or by a weaker model (autoguidance). */
export type GuidanceConfig = NoGuidance | CfgGuidance | Autoguidance;

/** The run-time inputs of each kind (tensors and models a config names but cannot hold). */
export interface GuidanceInputsByKind {
  none: undefined;
  cfg: CfgInputs;
  autoguidance: AutoguidanceInputs;
}

/** The run-time inputs of any kind. */
export type GuidanceInputs = CfgInputs | AutoguidanceInputs;

/** Every kind, by name. */
export const GUIDANCE_KINDS: {
  [K in GuidanceConfig["kind"]]: GuidanceKind<Extract<GuidanceConfig, { kind: K }>, GuidanceInputsByKind[K]>;
} = { none: noGuidance, cfg: cfgGuidance, autoguidance };

/**
 * The kind a config names, checked.
 *
 * @param config a guidance config (possibly read from a file)
 * @returns its kind, after `check(config)` passed
 * @throws {RangeError} when the kind is unknown, a field is not the kind's, or as the kind's check does
 * @example
 * ```ts
 * import { guidanceKind } from "./guidance_config.ts";
 * console.log(guidanceKind({ kind: "cfg", scale: 3, drop: ["context"] }) !== undefined); // true
 * ```
 */
export function guidanceKind(config: GuidanceConfig): GuidanceKind<GuidanceConfig, GuidanceInputs | undefined> {
  const kind = typeof config === "object" && config !== null && Object.hasOwn(GUIDANCE_KINDS, config.kind)
    ? GUIDANCE_KINDS[config.kind] as GuidanceKind<GuidanceConfig, GuidanceInputs | undefined>
    : undefined;
  if (!kind) {
    throw new RangeError(
      `Cannot sample with guidance ${JSON.stringify(config)}: expected kind ${Object.keys(GUIDANCE_KINDS).map((k) => JSON.stringify(k)).join(", ")}`,
    );
  }
  const unknown = Object.keys(config).find((k) => k !== "kind" && !(kind.fields as readonly string[]).includes(k));
  if (unknown !== undefined) {
    throw new RangeError(
      `Cannot sample with guidance kind "${config.kind}" and field ${JSON.stringify(unknown)}: expected only ${["kind", ...kind.fields].join(", ")}`,
    );
  }
  kind.check(config);
  return kind;
}
