/**
 * Input specifications of the standard feature networks, by metric (the
 * weights are supplied by the user; nothing is downloaded). Spread one into
 * a loader's options and add what the file needs, e.g.
 * `{ ...NETWORK_PRESETS.fvd, layout: "channels-first" }` for a PyTorch export.
 *
 * References: pytorch-fid inception.py (299×299 bilinear, align_corners=False,
 * [-1, 1], pool3 2048-d); StyleGAN-V FVD (I3D, 16 frames, 224×224, [-1, 1],
 * 400 Kinetics logits).
 */
import type { NetworkSpec } from "./feature_network.ts";

/**
 * @example
 * ```ts
 * import { NETWORK_PRESETS } from "./network_presets.ts";
 * console.log(NETWORK_PRESETS.fid.inputSize); // [299, 299]
 * ```
 */
export const NETWORK_PRESETS = {
  /** Inception-v3 pool3 features (2048-d) for FID. */
  fid: { name: "inception-v3-pool3", kind: "image", inputSize: [299, 299], normalize: "minus1to1" },
  /** I3D Kinetics-400 logits (400-d) of 16-frame clips for FVD. */
  fvd: { name: "i3d-k400-logits", kind: "video", inputSize: [224, 224], clipLength: 16, normalize: "minus1to1" },
} as const satisfies Record<string, NetworkSpec>;
