/**
 * Guidance kinds of the sampling loop, one file each: none, classifier-free
 * (cfg) and autoguidance; `GuidanceConfig` is their union.
 */
export type { Evaluate, GuidanceContext, GuidanceKind, GuidedVelocity } from "./guidance_kind.ts";
export { noGuidance } from "./no_guidance.ts";
export type { NoGuidance } from "./no_guidance.ts";
export { cfgGuidance } from "./cfg_guidance.ts";
export type { CfgGuidance, CfgInputs } from "./cfg_guidance.ts";
export { autoguidance } from "./autoguidance.ts";
export type { Autoguidance, AutoguidanceInputs } from "./autoguidance.ts";
export { GUIDANCE_KINDS, guidanceKind } from "./guidance_config.ts";
export type { GuidanceConfig, GuidanceInputs, GuidanceInputsByKind } from "./guidance_config.ts";
