/**
 * Re-renders driving conditions with an aligned body: a copy of a synthetic
 * clip spec whose persons' body-shape parameters are replaced (motions,
 * camera and scene unchanged), so that `generateClip` renders the driving
 * pose sequence performed by the reference's body (e.g. the shape found by
 * `fitBodyShape`).
 *
 * References: RealisDance-DiT §3.2 (driving SMPL-X poses re-shaped with the
 * reference's shape parameters before rendering the conditions).
 *
 * @module
 */

import { type BodyShapeParams, makeBodyShape } from "../synthetic/body_shape.ts";
import type { ClipSpec } from "../synthetic/clip_spec.ts";

/**
 * Replaces body shapes in a clip spec.
 *
 * @param spec the driving clip's spec
 * @param shapes new shape parameters per person index (persons not listed keep theirs)
 * @returns a new spec (the input is not modified)
 * @example
 * ```ts
 * import { retargetClipSpec } from "./retarget_clip_spec.ts";
 * import { sampleClipSpec } from "../synthetic/sample_clip_spec.ts";
 * const spec = retargetClipSpec(sampleClipSpec(1), { 0: { height: 1.6, chibi: 0, build: 0.3, legRatio: 1 } });
 * console.log(spec.persons[0].character.shape.height); // 1.6
 * ```
 */
export function retargetClipSpec(spec: ClipSpec, shapes: Record<number, BodyShapeParams>): ClipSpec {
  const out: ClipSpec = structuredClone(spec);
  for (const [key, params] of Object.entries(shapes)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= out.persons.length) {
      throw new RangeError(`Cannot retarget person ${key}: the spec has persons 0..${out.persons.length - 1}`);
    }
    makeBodyShape(params); // validates the ranges
    out.persons[i].character.shape = { ...params };
  }
  return out;
}
