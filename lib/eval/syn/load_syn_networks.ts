/**
 * Loads the workbench's offline `-syn` networks and the classical
 * calibration from a folder written by train_feature_nets.ts (the run
 * folder of `deno task ablate feature_nets`, results/feature_nets/0/ in this
 * repository: image-syn.safetensors, video-syn.safetensors, calibration.json,
 * and the run's config.json, metrics.jsonl, result.json).
 *
 * References: lib/eval FeatureNetwork; classical_calibration.ts.
 */
import type { FeatureNetwork } from "../feature_network.ts";
import type { LpipsExtractor } from "../lpips.ts";
import { type ClassicalCalibration, readClassicalCalibration } from "./classical_calibration.ts";
import { loadSynNetwork } from "./load_syn_network.ts";
import type { SynImageConfig, SynVideoConfig } from "./syn_net_config.ts";
import { synFeatureNetwork } from "./syn_feature_network.ts";
import { synLpipsExtractor } from "./syn_lpips_extractor.ts";

/** The committed networks' folder of this repository: run 0 of experiments/feature_nets.ts. */
export const DEFAULT_FEATURE_NETS_DIR = new URL("../../../results/feature_nets/0", import.meta.url).pathname;

/** File names inside a feature-nets folder. */
export const SYN_FILES = {
  image: "image-syn.safetensors",
  video: "video-syn.safetensors",
  calibration: "calibration.json",
} as const;

/** What {@link loadSynNetworks} returns. */
export interface SynNetworks {
  /** Image encoder: FID-syn (whole frames), subject (character crops) and background (masked frames) metrics. */
  image: FeatureNetwork;
  /** Video encoder: FVD-syn. */
  video: FeatureNetwork;
  /** LPIPS-syn's extractor over the image encoder's maps. */
  lpips: LpipsExtractor;
  /** The classical dimensions' calibration, or null when the folder has none. */
  calibration: ClassicalCalibration | null;
  configs: { image: SynImageConfig; video: SynVideoConfig };
  /** The networks files' metadata (training seed, steps, commit…). */
  metadata: { image: Record<string, string>; video: Record<string, string> };
  /** Frees both networks' weights. */
  dispose(): void;
}

/** Options of {@link loadSynNetworks}. */
export interface LoadSynNetworksOptions {
  /** Images per forward pass (default 64) and clips per forward pass (default 16). */
  imageBatch?: number;
  videoBatch?: number;
}

/**
 * @param dir the folder (default: this repository's results/feature_nets/0)
 * @param options batch sizes
 * @returns the image and video networks, the LPIPS-syn extractor and the calibration
 * @example
 * ```ts ignore
 * import { loadSynNetworks } from "./load_syn_networks.ts";
 * const nets = await loadSynNetworks();
 * console.log(nets.image.name, nets.video.clipLength); // image-syn 9
 * nets.dispose();
 * ```
 */
export async function loadSynNetworks(
  dir: string = DEFAULT_FEATURE_NETS_DIR,
  options: LoadSynNetworksOptions = {},
): Promise<SynNetworks> {
  const img = await loadSynNetwork(`${dir}/${SYN_FILES.image}`);
  const vid = await loadSynNetwork(`${dir}/${SYN_FILES.video}`);
  const disposeAll = () => {
    for (const t of [...Object.values(img.params), ...Object.values(vid.params)]) t.dispose();
  };
  if (img.config.kind !== "image" || vid.config.kind !== "video") {
    disposeAll();
    throw new TypeError(
      `Cannot load the -syn networks from ${dir}: ${SYN_FILES.image} must hold an image network and ${SYN_FILES.video} a video network, received ${img.config.kind} and ${vid.config.kind}`,
    );
  }
  let calibration: ClassicalCalibration | null = null;
  try {
    await Deno.stat(`${dir}/${SYN_FILES.calibration}`);
    calibration = await readClassicalCalibration(`${dir}/${SYN_FILES.calibration}`);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      disposeAll();
      throw e;
    }
  }
  return {
    image: synFeatureNetwork(img.params, { config: img.config, batchSize: options.imageBatch }),
    video: synFeatureNetwork(vid.params, { config: vid.config, batchSize: options.videoBatch }),
    lpips: synLpipsExtractor(img.params, { config: img.config }),
    calibration,
    configs: { image: img.config, video: vid.config },
    metadata: { image: img.metadata, video: vid.metadata },
    dispose: disposeAll,
  };
}
