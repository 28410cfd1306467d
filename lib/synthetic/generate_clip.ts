/**
 * Renders a synthetic clip from its spec: RGB frames, a reference image, the
 * three pose-condition videos (DWPose skeleton, HaMeR-style hands,
 * SMPL-CS-style body), the character mask, 2D keypoints with visibility, a
 * caption and categories, plus 3D ground truth for tests and analysis.
 *
 * Frames are spread evenly over `spec.duration` seconds (a 9-frame clip is a
 * temporal subsample of the 17-frame clip of the same spec). The reference
 * image shows the same scene and characters at `spec.referenceTime` (after
 * the clip, so another pose) seen from the clip's first camera. All images are
 * quantised to 8-bit levels (k/255), so caching as U8 is lossless.
 *
 * @module
 */

import type { Clip } from "../data/clip.ts";
import { captionClip } from "./caption_clip.ts";
import { clipCategories, type ClipSpec } from "./clip_spec.ts";
import { drawOpenPoseBody } from "./draw_openpose_body.ts";
import { JOINTS } from "./forward_kinematics.ts";
import { KEYPOINTS_PER_PERSON, projectKeypoints } from "./keypoints.ts";
import { ballBounces } from "./objects.ts";
import { cameraAt, lightDirAt } from "./scene.ts";
import { makeGBuffer } from "./_raster.ts";
import { renderRgb } from "./_render_rgb.ts";
import { renderBody, renderHands } from "./_render_conditions.ts";
import { specShapes, worldAt } from "./_world.ts";

/** Frames and image size of a clip. */
export interface ClipSize {
  /** Number of frames, 4k + 1 (the Wan VAE's temporal layout). */
  frames: number;
  height: number;
  width: number;
}

/** Most capsules a held object has (padding of `meta.objectParts`). */
export const MAX_OBJECT_PARTS = 3;

/** 3D ground truth and per-pixel owners of a synthetic clip. */
export interface SyntheticMeta {
  spec: ClipSpec;
  /** Time of each frame, seconds. */
  times: number[];
  /** World joint positions [F, persons, JOINTS.length, 3]. */
  joints3d: Float32Array;
  /** Held-object capsule end points [F, persons, MAX_OBJECT_PARTS · 2, 3] (a, b per part; NaN where absent). */
  objectParts: Float32Array;
  /** Ball centre [F, 3] (NaN without a ball). */
  ball: Float32Array;
  /** Owner of each RGB pixel [F, H, W]: 0 background, 1..3 characters, 8 held object, 9 ball. */
  labels: Uint8Array;
}

/** A clip with its synthetic ground truth. */
export interface SyntheticClip extends Clip {
  meta: SyntheticMeta;
}

/** Options of `generateClip`. */
export interface GenerateClipOptions {
  /** Clip identifier (default `seed-<seed>`). */
  id?: string;
  /** Cast floor shadows (default true). */
  shadows?: boolean;
}

/**
 * Checks a clip size: frames = 4k + 1 ≥ 1, height and width integers in [8, 1024].
 *
 * @param size the size
 * @returns the size
 * @example
 * ```ts
 * import { assertClipSize } from "./generate_clip.ts";
 * assertClipSize({ frames: 17, height: 64, width: 64 });
 * ```
 */
export function assertClipSize(size: ClipSize): ClipSize {
  const { frames, height, width } = size;
  if (!Number.isInteger(frames) || frames < 1 || (frames - 1) % 4 !== 0) {
    throw new RangeError(`Cannot generate a clip as frames must be 4k+1 (1, 5, 9, 17, ...): received ${frames}`);
  }
  for (const [k, v] of [["height", height], ["width", width]] as const) {
    if (!Number.isInteger(v) || v < 8 || v > 1024) {
      throw new RangeError(`Cannot generate a clip as ${k} must be an integer in [8, 1024]: received ${v}`);
    }
  }
  return size;
}

/**
 * Renders a clip.
 *
 * @param spec the clip spec (see `sampleClipSpec`)
 * @param size frames (4k + 1), height, width
 * @param options id, shadows
 * @returns the clip with 3D ground truth in `meta`
 * @example
 * ```ts
 * import { generateClip } from "./generate_clip.ts";
 * import { sampleClipSpec } from "./sample_clip_spec.ts";
 * const clip = generateClip(sampleClipSpec(1), { frames: 5, height: 32, width: 32 });
 * console.log(clip.video.length); // 5 * 32 * 32 * 3
 * ```
 */
export function generateClip(spec: ClipSpec, size: ClipSize, options: GenerateClipOptions = {}): SyntheticClip {
  assertClipSize(size);
  const { frames: F, height: H, width: W } = size;
  const P = spec.persons.length;
  const K = KEYPOINTS_PER_PERSON;
  const shadows = options.shadows ?? true;
  const shapes = specShapes(spec);
  const times = Array.from({ length: F }, (_, f) => (F > 1 ? (f * spec.duration) / (F - 1) : 0));
  const bounces = spec.ball ? ballBounces(spec.ball, Math.max(spec.duration, spec.referenceTime)) : null;
  const g = makeGBuffer(W, H);
  const px = H * W;
  const video = new Float32Array(F * px * 3);
  const skeleton = new Float32Array(F * px * 3);
  const hands = new Float32Array(F * px * 3);
  const body = new Float32Array(F * px * 3);
  const mask = new Float32Array(F * px);
  const labels = new Uint8Array(F * px);
  const keypoints = new Float32Array(F * P * K * 2);
  const visibility = new Float32Array(F * P * K);
  const NJ = JOINTS.length;
  const joints3d = new Float32Array(F * P * NJ * 3);
  const objectParts = new Float32Array(F * P * MAX_OBJECT_PARTS * 2 * 3).fill(NaN);
  const ball = new Float32Array(F * 3).fill(NaN);

  for (let f = 0; f < F; f++) {
    const t = times[f];
    const world = worldAt(spec, shapes, t, bounces);
    const cam = cameraAt(spec.camera, t, { width: W, height: H });
    const L = lightDirAt(spec.light, t);
    const lab = labels.subarray(f * px, (f + 1) * px);
    renderRgb(spec, world, cam, L, g, video.subarray(f * px * 3, (f + 1) * px * 3), lab, { shadows });
    for (let k = 0; k < px; k++) mask[f * px + k] = lab[k] >= 1 && lab[k] <= 3 ? 1 : 0;
    for (let p = 0; p < P; p++) {
      projectKeypoints(world.skeletons[p], cam, { out: keypoints, vis: visibility, offset: (f * P + p) * K * 2 });
      joints3d.set(world.skeletons[p].joints, (f * P + p) * NJ * 3);
      const parts = world.objects[p];
      parts?.forEach((part, i) => {
        objectParts.set([...part.a, ...part.b], ((f * P + p) * MAX_OBJECT_PARTS + i) * 6);
      });
    }
    if (world.ball) ball.set(world.ball, f * 3);
    skeleton.set(
      drawOpenPoseBody(
        keypoints.subarray(f * P * K * 2, (f + 1) * P * K * 2),
        visibility.subarray(f * P * K, (f + 1) * P * K),
        {
          width: W,
          height: H,
          stride: K,
        },
      ),
      f * px * 3,
    );
    renderHands(world, cam, g, hands.subarray(f * px * 3, (f + 1) * px * 3));
    renderBody(world, cam, g, body.subarray(f * px * 3, (f + 1) * px * 3));
  }

  const reference = new Float32Array(px * 3);
  const refWorld = worldAt(spec, shapes, spec.referenceTime, bounces);
  renderRgb(
    spec,
    refWorld,
    cameraAt(spec.camera, 0, { width: W, height: H }),
    lightDirAt(spec.light, spec.referenceTime),
    g,
    reference,
    new Uint8Array(px),
    { shadows },
  );
  for (const a of [video, reference, skeleton, hands, body]) quantize(a);

  return {
    id: options.id ?? `seed-${spec.seed}`,
    frames: F,
    height: H,
    width: W,
    video,
    reference,
    poses: { skeleton, hands, body },
    mask,
    persons: P,
    keypointsPerPerson: K,
    keypoints,
    visibility,
    caption: captionClip(spec),
    categories: clipCategories(spec),
    meta: { spec, times, joints3d, objectParts, ball, labels },
  };
}

/** k/255 as float32, k = 0..255. */
const LEVELS = Float32Array.from({ length: 256 }, (_, k) => k / 255);

/** Clamps to [0, 1] and rounds to the nearest k/255 in place. */
function quantize(a: Float32Array): void {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    a[i] = x <= 0 ? 0 : x >= 1 ? 1 : LEVELS[(x * 255 + 0.5) | 0];
  }
}
