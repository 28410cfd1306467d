/**
 * A deterministic, resumable batch iterator over a dataset.
 *
 * Each epoch visits the clips in a fixed permutation (or in order) and drops
 * the last incomplete batch unless `dropLast: false`. The permutation of
 * epoch e depends only on one number drawn from `prng` when iteration starts
 * and on e, so a run restarted from a saved `position` with a generator in
 * the same state as the original run's yields exactly the remaining batches.
 *
 * References: Fisher–Yates shuffle (Knuth, TAOCP vol. 2, Algorithm P).
 *
 * @module
 */

import { Prng } from "../random/mod.ts";
import { type ClipBatch, collateClips } from "./collate_clips.ts";
import type { Dataset } from "./dataset.ts";

/** Where an iteration stands: `index` clips of epoch `epoch` have been used. JSON-safe. */
export interface DataPosition {
  epoch: number;
  index: number;
}

/** One batch: tensors, captions, and the position just after it. */
export interface Batch extends ClipBatch {
  /** Dataset indices of the clips. */
  indices: number[];
  /** Position after this batch (save it to resume). */
  position: DataPosition;
}

/** Options of `batches`. */
export interface BatchesOptions {
  batchSize: number;
  /** Draws the shuffling seed (one draw when iteration starts). Pass a generator in the same state to resume. */
  prng: Prng;
  /** Shuffle each epoch (default true); false visits 0, 1, 2, ... */
  epochShuffle?: boolean;
  /** Start here (default { epoch: 0, index: 0 }). */
  position?: DataPosition;
  /** Stop after this many epochs in total (default unlimited). */
  epochs?: number;
  /** Drop the last incomplete batch of each epoch (default true). */
  dropLast?: boolean;
}

/**
 * The visiting order of one epoch.
 *
 * @param size dataset size
 * @param options `seed`: the iteration's shuffling seed; `epoch`: the epoch number
 * @returns a permutation of 0 .. size − 1
 * @example
 * ```ts
 * import { epochPermutation } from "./batches.ts";
 * console.log(epochPermutation(5, { seed: 42, epoch: 0 }).toSorted()); // [0, 1, 2, 3, 4]
 * ```
 */
export function epochPermutation(size: number, options: { seed: number; epoch: number }): number[] {
  const { seed, epoch } = options;
  const perm = Array.from({ length: size }, (_, i) => i);
  const prng = new Prng((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
  for (let i = size - 1; i > 0; i--) {
    const j = prng.int(i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return perm;
}

/**
 * Iterates batches of a dataset.
 *
 * @param dataset the dataset
 * @param options batch size, prng, shuffling, start position, epochs, dropLast
 * @returns an async iterator of batches (dispose each batch's tensors)
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { Prng } from "../random/mod.ts";
 * import { batches } from "./batches.ts";
 * import { disposeBatch } from "./collate_clips.ts";
 * import { makeDataset } from "../../datasets/make_dataset.ts";
 * const ds = await makeDataset({ kind: "synthetic", set: "finetune", frames: 1, height: 16, width: 16, size: 4 });
 * for await (const b of batches(ds, { batchSize: 2, prng: new Prng(0), epochs: 1 })) {
 *   console.log(b.video.shape, b.position); // [2, 3, 1, 16, 16] …
 *   disposeBatch(b);
 * }
 * ```
 */
export async function* batches(dataset: Dataset, options: BatchesOptions): AsyncGenerator<Batch> {
  const { batchSize: B, prng } = options;
  const shuffle = options.epochShuffle ?? true;
  const dropLast = options.dropLast ?? true;
  const epochs = options.epochs ?? Infinity;
  const N = dataset.size;
  if (!Number.isInteger(B) || B < 1) {
    throw new RangeError(`Cannot batch as batchSize must be a positive integer: received ${B}`);
  }
  if (dropLast && B > N) {
    throw new RangeError(`Cannot batch with dropLast as batchSize must be <= dataset size ${N}: received ${B}`);
  }
  if (!(prng instanceof Prng)) throw new TypeError(`Cannot batch as prng must be a Prng: received ${typeof prng}`);
  let { epoch, index } = options.position ?? { epoch: 0, index: 0 };
  if (!Number.isInteger(epoch) || epoch < 0 || !Number.isInteger(index) || index < 0 || index > N) {
    throw new RangeError(
      `Cannot resume batching at ${
        JSON.stringify(options.position)
      }: expected integers epoch >= 0 and 0 <= index <= ${N}`,
    );
  }
  const seed = prng.nextUint32();
  const order = (
    e: number,
  ) => (shuffle ? epochPermutation(N, { seed, epoch: e }) : Array.from({ length: N }, (_, i) => i));
  let perm = order(epoch);
  while (epoch < epochs) {
    const left = N - index;
    if (left <= 0 || (dropLast && left < B)) {
      epoch++;
      index = 0;
      if (epoch < epochs) perm = order(epoch);
      continue;
    }
    const indices = perm.slice(index, index + Math.min(B, left));
    const clips = await Promise.all(indices.map((i) => dataset.get(i)));
    index += indices.length;
    let next: DataPosition = { epoch, index };
    if (N - index <= 0 || (dropLast && N - index < B)) next = { epoch: epoch + 1, index: 0 };
    yield { ...collateClips(clips), indices, position: next };
  }
}
