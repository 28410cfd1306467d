/**
 * What a batch iterator reads: an indexable collection of equally sized
 * clips. `makeDataset()` (datasets/make_dataset.ts) builds one from a config
 * (a synthetic set or a folder of clip shards).
 *
 * @module
 */
import type { Clip } from "./clip.ts";

/** An indexable dataset of equally sized clips, built from a config of type `C`. */
export interface Dataset<C = unknown> {
  readonly config: C;
  readonly size: number;
  readonly frames: number;
  readonly height: number;
  readonly width: number;
  /** Clip `index` (0 ≤ index < size). */
  get(index: number): Promise<Clip>;
}
