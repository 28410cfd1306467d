/**
 * The full description of one synthetic clip as plain JSON: rendering style,
 * characters (identity, motion, placement, held object), background, light,
 * camera path, optional bouncing ball, duration and reference time. A clip's
 * pixels are a pure function of (spec, frames, height, width); the spec is a
 * pure function of (seed, rates, required categories).
 *
 * @module
 */

import type { CharacterSpec } from "./character.ts";
import type { MotionSpec } from "./motion.ts";
import type { BallSpec, HeldObjectSpec } from "./objects.ts";
import type { BackgroundSpec, CameraSpec, LightSpec } from "./scene.ts";

/** Rendering styles. */
export const STYLES = ["realistic", "cartoon", "silhouette"] as const;
/** A rendering style: shaded, flat with outlines, or back-lit dark figures. */
export type Style = typeof STYLES[number];

/** Clip categories (multi-label; the eval set covers all). */
export const CATEGORIES = [
  "interaction",
  "lighting",
  "rare-pose",
  "stylized",
  "multi-character",
  "camera-motion",
] as const;
/** A clip category. */
export type Category = typeof CATEGORIES[number];

/** One character in a clip. */
export interface PersonSpec {
  character: CharacterSpec;
  motion: MotionSpec;
  /** World x, z of the pelvis (before the motion's own root offsets). */
  place: [number, number];
  object: HeldObjectSpec | null;
}

/** A whole clip (plain JSON). */
export interface ClipSpec {
  /** `GENERATOR_VERSION` that produced the spec. */
  generator: string;
  seed: number;
  style: Style;
  persons: PersonSpec[];
  background: BackgroundSpec;
  light: LightSpec;
  camera: CameraSpec;
  ball: BallSpec | null;
  /** Seconds from the first to the last frame. */
  duration: number;
  /** Time of the reference image (after the clip), seconds. */
  referenceTime: number;
  /** Random choices among equivalent caption wordings. */
  captionVariant: number[];
}

/**
 * The categories a clip belongs to, derived from its content.
 *
 * - interaction: a held object or a bouncing ball;
 * - lighting: side, back or moving light (every silhouette clip is back-lit);
 * - rare-pose: some character performs a rare-pose motion;
 * - stylized: cartoon or silhouette style, or chibi proportions;
 * - multi-character: two or more characters;
 * - camera-motion: the camera pans and/or zooms.
 *
 * @param spec the clip
 * @returns the categories, in `CATEGORIES` order
 * @example
 * ```ts
 * import { clipCategories } from "./clip_spec.ts";
 * import { sampleClipSpec } from "./sample_clip_spec.ts";
 * console.log(clipCategories(sampleClipSpec(7, { require: ["multi-character"] })).includes("multi-character")); // true
 * ```
 */
export function clipCategories(spec: ClipSpec): Category[] {
  const has: Record<Category, boolean> = {
    interaction: spec.ball !== null || spec.persons.some((p) => p.object !== null),
    lighting: spec.light.kind !== "front",
    "rare-pose": spec.persons.some((p) => p.motion.family === "rare"),
    stylized: spec.style !== "realistic" || spec.persons.some((p) => p.character.shape.chibi >= 0.5),
    "multi-character": spec.persons.length >= 2,
    "camera-motion": spec.camera.kind !== "static",
  };
  return CATEGORIES.filter((c) => has[c]);
}
