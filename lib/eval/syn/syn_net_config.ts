/**
 * Configurations of the offline `-syn` feature networks: a small image CNN
 * (the stand-in for Inception in FID, DINO in subject consistency and
 * CLIP/DreamSim in background consistency) and a small (2+1)D video CNN (the
 * stand-in for I3D in FVD), both trained by this workbench on its synthetic
 * corpus. Sizes are one-line entries of a registry, as DiT's `DiT_models`.
 *
 * References: Tran et al., "A Closer Look at Spatiotemporal Convolutions for
 * Action Recognition" (CVPR 2018) for the (2+1)D factorisation; facebookresearch/DiT
 * models.py for the registry pattern.
 */

/** The image encoder: stem conv, stages of (stride-2 conv, conv), global average pool, linear. */
export interface SynImageConfig {
  kind: "image";
  /** Network name in reports; ends with "-syn". */
  name: string;
  /** [height, width] the frames or crops are resized to (bilinear, PyTorch align_corners=False). */
  inputSize: readonly [number, number];
  /** Channels of the stem, then of each stage (each stage halves the resolution). */
  channels: readonly number[];
  /** Size D of the feature vector (the metrics' embedding). */
  features: number;
  /** Training heads on the features: name → classes. */
  heads: Readonly<Record<string, number>>;
}

/**
 * The video encoder: (2+1)D stem (spatial stride 2, as I3D's stem downsamples) and stages
 * (1×3×3 spatial then 3×1×1 temporal conv), pool, linear.
 */
export interface SynVideoConfig {
  kind: "video";
  name: string;
  inputSize: readonly [number, number];
  /** Frames per clip the network is trained on (a clip of F = (clipLength − 1)·k + 1 frames is subsampled by k). */
  clipLength: number;
  /** Channels of the stem (which halves H and W), then of each stage (each halves H and W again). */
  channels: readonly number[];
  /** Temporal stride of each stage's temporal conv (same length as channels − 1). */
  temporalStrides: readonly number[];
  /** Groups of the parameter-free GroupNorm after every conv (before its ReLU); 0 = none. */
  normGroups: number;
  features: number;
  heads: Readonly<Record<string, number>>;
}

/** Either network. */
export type SynNetConfig = SynImageConfig | SynVideoConfig;

/**
 * The default `-syn` networks, sized for the ablations' clips (9 frames,
 * 32×32; 64×64 clips are resized down) and to train in minutes on two cores.
 *
 * @example
 * ```ts
 * import { SYN_NET_PRESETS } from "./syn_net_config.ts";
 * console.log(SYN_NET_PRESETS["image-syn"].features); // 128
 * ```
 */
export const SYN_NET_PRESETS = {
  /** 32×32 RGB → 128-d; heads: rendering style (character views), background kind (background views). */
  "image-syn": {
    kind: "image",
    name: "image-syn",
    inputSize: [32, 32],
    channels: [16, 32, 64, 128],
    features: 128,
    heads: { style: 3, background: 3 },
  },
  /**
   * 9×32×32 RGB clips (+ frame differences) → 128-d; heads: motion kind of the first character, camera path,
   * temporal corruption (natural, shuffled, frozen, flicker).
   */
  "video-syn": {
    kind: "video",
    name: "video-syn",
    inputSize: [32, 32],
    clipLength: 9,
    channels: [16, 32, 64, 128],
    temporalStrides: [1, 2, 2],
    normGroups: 4,
    features: 128,
    heads: { motion: 14, camera: 4, temporal: 4 },
  },
} as const satisfies Record<string, SynNetConfig>;
