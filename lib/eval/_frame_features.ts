/** Per-frame feature tensors for the VBench aggregations (private to lib/eval). */

import type { FrameFeatures } from "./features.ts";

export function toFrameFeatures(x: FrameFeatures, name: string): FrameFeatures {
  const { data, shape } = x ?? {};
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    throw new TypeError(`Cannot use ${name} as frame features: data must be a Float32Array or Float64Array`);
  }
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((s) => Number.isInteger(s) && s > 0)) {
    throw new RangeError(`Cannot use ${name} as frame features: shape must be [N, F, D] > 0, received ${JSON.stringify(shape)}`);
  }
  if (data.length !== shape[0] * shape[1] * shape[2]) {
    throw new RangeError(`Cannot use ${name} as frame features: shape [${shape}] needs ${shape[0] * shape[1] * shape[2]} values, received ${data.length}`);
  }
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`Cannot use ${name} as frame features: value ${data[bad]} at flat index ${bad} is not finite`);
  return x;
}

/** x·y / max(‖x‖·‖y‖, 1e-8), torch.nn.functional.cosine_similarity's definition. */
export function cosineSimilarity(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let xy = 0, xx = 0, yy = 0;
  for (let i = 0; i < x.length; i++) {
    xy += x[i] * y[i];
    xx += x[i] * x[i];
    yy += y[i] * y[i];
  }
  return xy / Math.max(Math.sqrt(xx) * Math.sqrt(yy), 1e-8);
}
