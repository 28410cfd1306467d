/**
 * The training split of a run as tensors, read in chunks so that a large
 * corpus never has all its clips alive at once: each chunk of clips is
 * stacked into tensors and dropped, and only what the task needs afterwards
 * is kept (the captions always; the clips themselves only when asked, e.g.
 * for `animate`, which encodes their poses and reference images).
 *
 * A clip of 9×32×32 carries about 0.5 MB of arrays (video, reference, three
 * pose renders, mask, keypoints), its video 0.1 MB: 16,384 clips held 8.5 GB
 * besides their 1.8 GB video tensor, and V8's garbage collection made
 * training ten times slower under that much memory (results/JOURNAL.md,
 * `pretrain_dit_16k`).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Clip } from "../data/clip.ts";
import { masksToTensor, videosToTensor } from "./_pipeline_data.ts";
import type { RunData } from "./_run_data.ts";

/** The training split as tensors. */
export interface TrainSet {
  /** The clips, when `keepClips` was asked for; otherwise null. */
  clips: Clip[] | null;
  /** Every clip's caption, in order. */
  captions: string[];
  /** [N, 3, F, H, W] in [−1, 1], as `videosToTensor` makes it. */
  video: tf.Tensor5D;
  /** [N, 1, F, H, W] character masks when `masks` was asked for; otherwise null. */
  mask: tf.Tensor5D | null;
}

/**
 * @param data the run's clips (`openRunData`: synthetic or a folder)
 * @param options `count`: clips from the split's start; `split`: "train" (default) or "val"; `masks`: also
 *   stack the character masks; `keepClips`: return the clips too; `chunk`: clips read and stacked at a time
 *   (default 512)
 * @returns the captions, the stacked videos and masks, and the clips if kept
 * @throws {RangeError} when chunk is not a positive integer
 * @example
 * ```ts ignore
 * const data = await openRunData({ kind: "synthetic" }, { set: "pretrain", size, counts: {}, model: cfg });
 * const train = await makeTrainSet(data, { count: 16384, masks: true, keepClips: false });
 * ```
 */
export async function makeTrainSet(
  data: Pick<RunData, "clips">,
  options: { count: number; split?: "train" | "val"; masks: boolean; keepClips: boolean; chunk?: number },
): Promise<TrainSet> {
  const chunk = options.chunk ?? 512;
  if (!Number.isInteger(chunk) || chunk < 1) {
    throw new RangeError(`Cannot build a training set in chunks of ${chunk} clips: expected an integer >= 1`);
  }
  const split = options.split ?? "train";
  if ((split as string) === "eval") throw new RangeError(`makeTrainSet() takes the "train" or "val" split, received "eval"`);
  const count = options.count;
  const captions: string[] = [];
  const kept: Clip[] = [];
  const videos: tf.Tensor5D[] = [], masks: tf.Tensor5D[] = [];
  // Chunk k is clips k·chunk … of the split's own sequence (the reader's skip), so the set does not depend on the chunk size.
  for (let start = 0; start < count; start += chunk) {
    const part = await data.clips(split, Math.min(chunk, count - start), start);
    for (const c of part) captions.push(c.caption);
    videos.push(videosToTensor(part)); // (n, 3, F, H, W)
    if (options.masks) masks.push(masksToTensor(part)); // (n, 1, F, H, W)
    if (options.keepClips) kept.push(...part);
  }
  const join = (ts: tf.Tensor5D[]) => {
    if (ts.length === 1) return ts[0];
    const all = tf.concat(ts) as tf.Tensor5D; // (N, …)
    tf.dispose(ts);
    return all;
  };
  return {
    clips: options.keepClips ? kept : null,
    captions,
    video: join(videos),
    mask: options.masks ? join(masks) : null,
  };
}
