/**
 * A correct ResizeNearestNeighborGrad for the `cpu` backend (and, through it,
 * `blas`, which copies the cpu kernels). TF.js 4.22's cpu kernel reads dy at
 * the batch offset b·(H_in·W_in·C) instead of b·(H_out·W_out·C), so for a batch
 * larger than one every image after the first receives the gradient of the
 * wrong rows of dy; the VAE's nearest 2× upsampling runs on [B·T, H, W, C], so
 * its decoder gradients were wrong during training. wasm and webgpu are right.
 *
 * References: tfjs-backend-cpu `ResizeNearestNeighborGrad` (the source-index
 * rule: floor, or round with alignCorners, of effectiveIn·i/effectiveOut,
 * clamped to the last row/column).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";

const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
  const { images, dy } = inputs as { images: TensorInfo; dy: TensorInfo };
  const alignCorners = (attrs as unknown as { alignCorners: boolean }).alignCorners;
  const cpu = backend as unknown as {
    data: { get(id: object): { values: Float32Array } };
    makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
  };
  const g = cpu.data.get(dy.dataId).values;
  const [batch, inH, inW, depth] = images.shape;
  const [, outH, outW] = dy.shape;
  const effIn = [alignCorners && outH > 1 ? inH - 1 : inH, alignCorners && outW > 1 ? inW - 1 : inW];
  const effOut = [alignCorners && outH > 1 ? outH - 1 : outH, alignCorners && outW > 1 ? outW - 1 : outW];
  const src = (i: number, axis: 0 | 1, size: number) => {
    const f = effIn[axis] * (i / effOut[axis]);
    return Math.min(size - 1, alignCorners ? Math.round(f) : Math.floor(f));
  };
  const rows = Int32Array.from({ length: outH }, (_, y) => src(y, 0, inH));
  const cols = Int32Array.from({ length: outW }, (_, x) => src(x, 1, inW));
  const dx = new Float32Array(batch * inH * inW * depth);
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < outH; y++) {
      for (let x = 0; x < outW; x++) {
        const from = ((b * outH + y) * outW + x) * depth; // dy is [B, outH, outW, C]
        const to = ((b * inH + rows[y]) * inW + cols[x]) * depth; // dx is [B, inH, inW, C]
        for (let d = 0; d < depth; d++) dx[to + d] += g[from + d];
      }
    }
  }
  return cpu.makeTensorInfo([batch, inH, inW, depth], "float32", dx);
};

/** Replaces the cpu backend's ResizeNearestNeighborGrad with the corrected kernel (idempotent). */
export function fixCpuResizeNearestNeighborGrad(): void {
  tf.unregisterKernel(tf.ResizeNearestNeighborGrad, "cpu");
  tf.registerKernel({ kernelName: tf.ResizeNearestNeighborGrad, backendName: "cpu", kernelFunc });
}
