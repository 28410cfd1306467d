/**
 * The reference (conditioning) image of synthetic clips together with its
 * character mask, which the generator does not return: the image is
 * re-rendered as the last frame of a clip of the same spec whose duration
 * ends at the reference time, seen from a still first camera — the same
 * scene, pose, light and camera as `clip.reference`, pixel for pixel (a test
 * checks it), and the renderer's mask of that frame.
 *
 * Not re-exported by lib/eval/mod.ts: it depends on datasets/synthetic.
 *
 * References: lib/synthetic/generate_clip.ts (reference rendered at
 * spec.referenceTime with cameraAt(camera, 0), lights at referenceTime).
 */
import { generateClip } from "../../synthetic/generate_clip.ts";
import type { ClipSpec } from "../../synthetic/clip_spec.ts";
import { setClipSpec, SYNTHETIC_SETS, type SyntheticSet } from "../../../datasets/synthetic/synthetic_sets.ts";
import type { ReferenceImages } from "./masked_videos.ts";

/**
 * @param ids clip ids "<set>/<index>" (e.g. "realisdance-val-syn/0007", as in samples/eval_ids.json)
 * @param size the image height and width
 * @returns images [N, H, W, 3] in [0, 1] and character masks [N, H, W]
 * @example
 * ```ts
 * import { syntheticReferenceImages } from "./synthetic_reference_images.ts";
 * const r = syntheticReferenceImages(["realisdance-val-syn/0000"], { height: 16, width: 16 });
 * console.log(r.images.shape, r.masks.shape); // [1, 16, 16, 3] [1, 16, 16]
 * ```
 */
export function syntheticReferenceImages(ids: string[], size: { height: number; width: number }): ReferenceImages {
  const { height: h, width: w } = size;
  const images = new Float32Array(ids.length * h * w * 3);
  const masks = new Float32Array(ids.length * h * w);
  ids.forEach((id, i) => {
    const { image, mask } = referenceOfSpec(specOfId(id), size);
    images.set(image, i * h * w * 3);
    masks.set(mask, i * h * w);
  });
  return { images: { data: images, shape: [ids.length, h, w, 3] }, masks: { data: masks, shape: [ids.length, h, w] } };
}

/**
 * The reference image and mask of one clip spec.
 *
 * @param spec the clip spec
 * @param size image height and width
 * @returns image [H·W·3] and mask [H·W]
 * @example
 * ```ts
 * import { sampleClipSpec } from "../../synthetic/sample_clip_spec.ts";
 * import { referenceOfSpec } from "./synthetic_reference_images.ts";
 * console.log(referenceOfSpec(sampleClipSpec(1), { height: 8, width: 8 }).mask.length); // 64
 * ```
 */
export function referenceOfSpec(
  spec: ClipSpec,
  size: { height: number; width: number },
): { image: Float32Array; mask: Float32Array } {
  const still: ClipSpec = { ...spec, duration: spec.referenceTime, camera: { ...spec.camera, kind: "static" } };
  const clip = generateClip(still, { frames: 5, height: size.height, width: size.width });
  const px = size.height * size.width;
  return { image: clip.video.slice(4 * px * 3), mask: clip.mask.slice(4 * px) };
}

function specOfId(id: string): ClipSpec {
  const cut = id.lastIndexOf("/");
  const set = id.slice(0, cut) as SyntheticSet;
  const index = Number(id.slice(cut + 1));
  if (cut < 0 || !SYNTHETIC_SETS.includes(set) || !Number.isInteger(index) || !/^\d+$/.test(id.slice(cut + 1))) {
    throw new RangeError(
      `Cannot render the reference image of clip ${JSON.stringify(id)}: expected "<set>/<index>" with set one of ${
        SYNTHETIC_SETS.join(", ")
      }`,
    );
  }
  return setClipSpec(set, index);
}
