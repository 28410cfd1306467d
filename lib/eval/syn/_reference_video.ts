/** Reference images as one-frame videos, checked (private to lib/eval/syn). */
import type { MaskedVideos, ReferenceImages } from "./masked_videos.ts";

export function referenceAsVideo(reference: ReferenceImages, n: number): MaskedVideos {
  const s = reference?.images?.shape;
  const m = reference?.masks?.shape;
  if (!Array.isArray(s) || s.length !== 4 || s[0] !== n || s[3] !== 3) {
    throw new RangeError(
      `Cannot use reference images: expected [${n}, H, W, 3] (one per video), received ${JSON.stringify(s)}`,
    );
  }
  if (!Array.isArray(m) || m.length !== 3 || m[0] !== n || m[1] !== s[1] || m[2] !== s[2]) {
    throw new RangeError(
      `Cannot use reference masks: expected [${n}, ${s[1]}, ${s[2]}], received ${JSON.stringify(m)}`,
    );
  }
  return {
    videos: { data: reference.images.data, shape: [n, 1, s[1], s[2], 3] },
    masks: { data: reference.masks.data, shape: [n, 1, s[1], s[2]] },
  };
}
