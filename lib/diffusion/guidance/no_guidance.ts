/**
 * No guidance: every step takes the conditional velocity (one model call per
 * step).
 *
 * References: Ho & Salimans 2022 eq. 6 at w = 1 (the conditional model alone).
 */
import type { GuidanceKind } from "./guidance_kind.ts";

/** The config of {@link noGuidance}. */
export interface NoGuidance {
  kind: "none";
}

/**
 * @example
 * ```ts
 * import { noGuidance } from "./no_guidance.ts";
 * console.log(noGuidance.prepare({ kind: "none" }, { model: (x) => x, cond: {}, inputs: undefined })); // null
 * ```
 */
export const noGuidance: GuidanceKind<NoGuidance, undefined> = {
  fields: [],
  check() {},
  prepare: () => null,
};
