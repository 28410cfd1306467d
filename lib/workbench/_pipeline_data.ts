/**
 * Pipeline-side data plumbing: named PRNG streams, clip arrays → tensors, and
 * position-addressed data sources (a seeded permutation per epoch) so that a
 * training phase resumes at exactly the sample it stopped at.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../random/prng.ts";
import type { Clip } from "../data/clip.ts";
import type { DataSource } from "../train/train_loop.ts";

/**
 * An independent PRNG for a named purpose of a run ("vae-init", "dit-train"…):
 * adding a stream never shifts another stream's numbers.
 * @param seed the run seed
 * @param name the purpose
 * @returns a fresh generator
 */
export function stream(seed: number, name: string): Prng {
  let h = 0x811c9dc5;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return new Prng((seed ^ h) >>> 0);
}

/**
 * Stacks clip videos into one channel-first tensor in [−1, 1].
 * @param clips clips of equal size
 * @param pick which array of the clip (default the video)
 * @returns [N, 3, F, H, W]
 */
export function videosToTensor(
  clips: readonly Clip[],
  pick: (c: Clip) => Float32Array = (c) => c.video,
): tf.Tensor5D {
  const { frames: f, height: h, width: w } = clips[0];
  const data = new Float32Array(clips.length * f * h * w * 3);
  clips.forEach((c, i) => data.set(pick(c), i * f * h * w * 3));
  return tf.tidy(() => {
    const x = tf.tensor5d(data, [clips.length, f, h, w, 3]); // (N, F, H, W, 3)
    return tf.sub(tf.mul(tf.transpose(x, [0, 4, 1, 2, 3]), 2), 1) as tf.Tensor5D; // (N, 3, F, H, W)
  });
}

/**
 * Stacks clip character masks.
 * @param clips clips of equal size
 * @returns [N, 1, F, H, W], 1 on character pixels
 */
export function masksToTensor(clips: readonly Clip[]): tf.Tensor5D {
  const { frames: f, height: h, width: w } = clips[0];
  const data = new Float32Array(clips.length * f * h * w);
  clips.forEach((c, i) => data.set(c.mask, i * f * h * w));
  return tf.tensor5d(data, [clips.length, 1, f, h, w]); // (N, 1, F, H, W)
}

/**
 * Converts a decoded video batch back to the eval layout.
 * @param x [N, 3, F, H, W] in [−1, 1]
 * @returns float32 [N, F, H, W, 3] in [0, 1]
 */
export async function tensorToVideos(x: tf.Tensor): Promise<Float32Array> {
  const y = tf.tidy(() => tf.clipByValue(tf.div(tf.add(tf.transpose(x, [0, 2, 3, 4, 1]), 1), 2), 0, 1)); // (N, F, H, W, 3)
  const data = (await y.data()) as Float32Array;
  y.dispose();
  return data;
}

/**
 * The sample order of epoch e: a permutation seeded by (seed, e).
 * @param n dataset size
 * @param seed run seed
 * @param epoch epoch index
 * @returns a permutation of 0..n−1
 */
export function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  const p = new Int32Array(n).map((_, i) => i);
  const r = stream(seed, `epoch-${epoch}`);
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/**
 * A data source over rows of in-memory tensors (kept alive by the caller):
 * batch(position, count) gathers the rows the epoch permutation puts there.
 * @param tensors named tensors with the sample axis first (equal lengths)
 * @param seed the run seed (orders epochs)
 * @returns the source; its batches are dictionaries of gathered tensors
 */
export function tensorSource(
  tensors: Record<string, tf.Tensor>,
  seed: number,
): DataSource<Record<string, tf.Tensor>> {
  const n = Object.values(tensors)[0].shape[0];
  const orders = new Map<number, Int32Array>();
  const order = (e: number) => {
    if (!orders.has(e)) orders.set(e, epochOrder(n, seed, e));
    return orders.get(e)!;
  };
  return {
    size: n,
    batch(position, count) {
      const idx = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const p = position + i;
        idx[i] = order(Math.floor(p / n))[p % n];
      }
      const ids = tf.tensor1d(idx, "int32");
      const out: Record<string, tf.Tensor> = {};
      for (const [k, t] of Object.entries(tensors)) out[k] = tf.gather(t, ids);
      ids.dispose();
      return out;
    },
    dispose: (b) => tf.dispose(Object.values(b)),
  };
}

/**
 * Slices the batch axis into chunks of at most n (the caller disposes them).
 * @param x [N, …]
 * @param n chunk size
 * @returns the chunks
 */
export function splitBatch(x: tf.Tensor, n: number): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  for (let i = 0; i < x.shape[0]; i += n) out.push(tf.slice(x, i, Math.min(n, x.shape[0] - i)));
  return out;
}

/**
 * Applies f to batch chunks of at most n, disposing the chunks.
 * @param x [N, …]
 * @param n chunk size
 * @param f what to compute per chunk
 * @returns f's results in order
 */
export function chunked<T>(x: tf.Tensor, n: number, f: (chunk: tf.Tensor) => T): T[] {
  return splitBatch(x, n).map((c) => {
    const r = f(c);
    c.dispose();
    return r;
  });
}
