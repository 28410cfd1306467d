/**
 * The pluggable feature-network interface behind FID, FVD and the VBench
 * dimensions, and the specification its loaders share.
 *
 * A network is supplied by the user as a model file (TF.js graph model or
 * ONNX, see loadGraphModelNetwork / loadOnnxNetwork) or built from a TF.js
 * parameter dictionary (featureNetworkFromParams, the interface the `-syn`
 * networks trained in this workbench will use). Nothing is downloaded.
 *
 * References: pytorch-fid `InceptionV3` (resize + [-1, 1] inside the model
 * wrapper); StyleGAN-V FVD (I3D on 16-frame clips at 224×224).
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Features } from "./features.ts";

/** How pixels in [0, 1] become network input. */
export type PixelNormalization =
  /** 2x − 1 (Inception for FID, I3D for FVD). */
  | "minus1to1"
  /** x unchanged. */
  | "unit"
  /** (x − [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225] (DINO, torchvision). */
  | "imagenet"
  /** (x − mean) / std per RGB channel. */
  | { mean: [number, number, number]; std: [number, number, number] };

/** What a loader needs to know about a network besides its weights. */
export interface NetworkSpec {
  /** Name used in reports, e.g. "inception-pool3" or "i3d-syn". */
  name: string;
  /** "image": input frames [N, H, W, 3]; "video": clips [N, T, H, W, 3]. */
  kind: "image" | "video";
  /** [height, width] the frames are bilinearly resized to (half-pixel centres, as PyTorch align_corners=False). */
  inputSize: [number, number];
  /** Frames per clip for video networks (default 16). */
  clipLength?: number;
  /** Default "minus1to1". */
  normalize?: PixelNormalization;
  /**
   * Tensor layout the model expects: "channels-last" [N, H, W, 3] / [N, T, H, W, 3]
   * (TensorFlow, default) or "channels-first" [N, 3, H, W] / [N, 3, T, H, W] (PyTorch exports).
   */
  layout?: "channels-last" | "channels-first";
  /** Items per forward pass (default 8). */
  batchSize?: number;
}

/** A feature extractor: pixels in [0, 1] → one D-dimensional vector per image or clip. */
export interface FeatureNetwork {
  readonly name: string;
  readonly kind: "image" | "video";
  readonly inputSize: [number, number];
  /** Frames per clip (video networks only). */
  readonly clipLength?: number;
  /**
   * Turns pixels in [0, 1] — images [N, H, W, 3] or clips [N, T, H, W, 3] —
   * into the model's input (resized, normalised, laid out). Caller disposes.
   */
  preprocess(pixels: tf.Tensor): tf.Tensor;
  /** Features [N, D] of the N images or clips (pixels as for `preprocess`), computed in batches. */
  embed(pixels: tf.Tensor): Promise<Features>;
  /** Frees the model's weights. */
  dispose(): void;
}
