/** Builds a FeatureNetwork around any batched forward function (private to lib/eval). */
import * as tf from "@tensorflow/tfjs-core";
import type { FeatureNetwork, NetworkSpec } from "./feature_network.ts";
import type { Features } from "./features.ts";
import { preprocessPixels } from "./preprocess_pixels.ts";

/** Runs the model on one preprocessed batch; returns its output flattened to [n, D] row-major. */
export type BatchRunner = (input: tf.Tensor) => Promise<{ data: Float32Array; shape: number[] }>;

export function networkFromRunner(spec: NetworkSpec, run: BatchRunner, dispose: () => void): FeatureNetwork {
  const batchSize = spec.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Cannot build network ${spec.name}: batchSize must be a positive integer, received ${batchSize}`);
  }
  const [h, w] = spec.inputSize ?? [];
  if (!(Number.isInteger(h) && h > 0 && Number.isInteger(w) && w > 0)) {
    throw new RangeError(`Cannot build network ${spec.name}: inputSize must be [height, width], received ${JSON.stringify(spec.inputSize)}`);
  }
  if (spec.kind !== "image" && spec.kind !== "video") {
    throw new RangeError(`Cannot build network ${spec.name}: kind must be "image" or "video", received ${spec.kind}`);
  }
  const full: NetworkSpec = spec.kind === "video" ? { ...spec, clipLength: spec.clipLength ?? 16 } : spec;
  return {
    name: spec.name,
    kind: spec.kind,
    inputSize: [h, w],
    clipLength: full.clipLength,
    preprocess: (pixels) => preprocessPixels(pixels, full),
    async embed(pixels: tf.Tensor): Promise<Features> {
      const n = pixels.shape[0];
      if (!(n > 0)) throw new RangeError(`Cannot embed with ${spec.name}: received an empty batch, shape [${pixels.shape}]`);
      const parts: Float32Array[] = [];
      let dim = -1;
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        const input = tf.tidy(() => {
          const begin = pixels.shape.map((_, i) => (i === 0 ? start : 0));
          const sizes = pixels.shape.map((s, i) => (i === 0 ? size : s));
          return preprocessPixels(tf.slice(pixels, begin, sizes), full);
        });
        let out: { data: Float32Array; shape: number[] };
        try {
          out = await run(input);
        } finally {
          input.dispose();
        }
        if (out.shape[0] !== size) {
          throw new RangeError(
            `Cannot embed with ${spec.name}: the model returned shape [${out.shape}] for a batch of ${size}`,
          );
        }
        const d = out.data.length / size;
        if (dim >= 0 && d !== dim) {
          throw new RangeError(`Cannot embed with ${spec.name}: feature size changed from ${dim} to ${d} between batches`);
        }
        dim = d;
        parts.push(out.data);
      }
      const data = new Float32Array(n * dim);
      let off = 0;
      for (const p of parts) {
        data.set(p, off);
        off += p.length;
      }
      return { data, shape: [n, dim] };
    },
    dispose,
  };
}
