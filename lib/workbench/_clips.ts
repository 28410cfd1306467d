/**
 * The clips of a run: training, validation and evaluation sets from the
 * synthetic generator, disjoint by seed range.
 * (Temporary adaptor until lib/data's dataset API lands.)
 */
import type { Clip } from "../data/clip.ts";
import { generateClip } from "../../datasets/synthetic/generate_clip.ts";
import { sampleClipSpec } from "../../datasets/synthetic/sample_clip_spec.ts";

const SET_OFFSET: Record<string, number> = { "pretrain": 0, "pretrain-val": 5_000_000, "realisdance-val-syn": 9_000_000 };

/**
 * @param options set, count, clip size and seed
 * @returns the clips
 */
export function makeClips(options: { set: string; count: number; frames: number; height: number; width: number; seed: number }): Clip[] {
  const base = SET_OFFSET[options.set] + (options.set === "realisdance-val-syn" ? 0 : (options.seed % 1000) * 1000);
  return Array.from({ length: options.count }, (_, i) =>
    generateClip(sampleClipSpec(base + i), { frames: options.frames, height: options.height, width: options.width }, {
      id: `${options.set}/${i}`,
    }));
}
