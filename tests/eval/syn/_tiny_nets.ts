// Tiny freshly initialised -syn networks written to a folder, as the trainer would.
import { Prng } from "../../../lib/random/mod.ts";
import {
  type ClassicalCalibration,
  initSynNetParams,
  saveSynNetwork,
  type SynImageConfig,
  type SynVideoConfig,
} from "../../../lib/eval/mod.ts";

export const TINY_IMAGE: SynImageConfig = {
  kind: "image",
  name: "tiny-image-syn",
  inputSize: [16, 16],
  channels: [4, 8],
  features: 8,
  heads: { style: 3 },
};

export const TINY_VIDEO: SynVideoConfig = {
  kind: "video",
  name: "tiny-video-syn",
  inputSize: [16, 16],
  clipLength: 9,
  channels: [4, 8],
  temporalStrides: [2],
  normGroups: 2,
  features: 8,
  heads: { temporal: 4 },
};

/** Writes image-syn.safetensors, video-syn.safetensors (seeded) and, if given, calibration.json into a new temp folder. */
export async function writeTinyNets(calibration?: ClassicalCalibration, seed = 0): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "tiny-nets-" });
  const image = initSynNetParams(TINY_IMAGE, { prng: new Prng(seed) });
  const video = initSynNetParams(TINY_VIDEO, { prng: new Prng(seed + 1) });
  await saveSynNetwork(`${dir}/image-syn.safetensors`, { params: image, config: TINY_IMAGE, metadata: { steps: "0" } });
  await saveSynNetwork(`${dir}/video-syn.safetensors`, { params: video, config: TINY_VIDEO, metadata: { steps: "0" } });
  for (const v of [...Object.values(image), ...Object.values(video)]) v.dispose();
  if (calibration) await Deno.writeTextFile(`${dir}/calibration.json`, JSON.stringify(calibration));
  return dir;
}

/** A calibration with one entry; every number chosen by the test. */
export function tinyCalibration(
  size: { frames: number; height: number; width: number },
  thresholdScale: number,
  perClip: Record<string, number> = {},
  gtScore = 0.9,
): ClassicalCalibration {
  const stats = { thresholdScale, movingDynamic: 1, staticDynamic: 0, balancedAccuracy: 1 };
  return {
    format: "workbench-classical-calibration-v1",
    set: "realisdance-val-syn",
    generator: "test",
    method: { dynamicDegree: "test", motionSmoothness: "test" },
    sizes: {
      [`${size.frames}x${size.height}x${size.width}`]: {
        size,
        clips: Object.keys(perClip).length,
        dynamicDegree: {
          ...stats,
          thresholdPx: thresholdScale * Math.min(size.height, size.width) / 256,
          countRatio: 0.25,
          topFraction: 0.05,
          vbench: { ...stats, thresholdScale: 6 },
        },
        motionSmoothness: { gtScore, staticScore: 1, perClip },
      },
    },
  };
}
