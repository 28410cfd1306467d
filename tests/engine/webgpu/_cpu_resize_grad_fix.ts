/**
 * The cpu reference for the webgpu checks, with TF.js 4.22's cpu
 * ResizeNearestNeighborGrad corrected: that kernel reads dy at batch offset
 * b·(H_in·W_in·C) (the images' stride) instead of b·(H_out·W_out·C), so for
 * batch > 1 every image after the first gets the gradient of the wrong dy
 * rows (the blas backend uses the same kernel; wasm and webgpu are right).
 * The VAE's nearest 2× upsampling runs on [B·T, H, W, C], so its gradients
 * on cpu/blas are affected; this file only fixes the reference of these
 * checks (it is registered in their subprocess alone).
 *
 * References: tfjs-backend-cpu `ResizeNearestNeighborGrad.ts` (the source
 * row/column rule copied here: floor, or round with alignCorners, of
 * effectiveIn · i / effectiveOut, clamped to the last row/column).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";

const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
  const { images, dy } = inputs as { images: TensorInfo; dy: TensorInfo };
  const alignCorners = (attrs as { alignCorners: boolean }).alignCorners;
  const cpu = backend as unknown as { data: { get(id: object): { values: Float32Array } } } & {
    makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
  };
  const dyValues = cpu.data.get(dy.dataId).values;
  const [batch, xH, xW, depth] = images.shape;
  const [, yH, yW] = dy.shape;
  const effX = [alignCorners && yH > 1 ? xH - 1 : xH, alignCorners && yW > 1 ? xW - 1 : xW];
  const effY = [alignCorners && yH > 1 ? yH - 1 : yH, alignCorners && yW > 1 ? yW - 1 : yW];
  const source = (i: number, axis: 0 | 1, size: number) => {
    const frac = effX[axis] * (i / effY[axis]);
    return Math.min(size - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
  };
  const dx = new Float32Array(batch * xH * xW * depth);
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < yH; y++) {
      const r = source(y, 0, xH);
      for (let x = 0; x < yW; x++) {
        const c = source(x, 1, xW);
        const src = ((b * yH + y) * yW + x) * depth, dst = ((b * xH + r) * xW + c) * depth;
        for (let d = 0; d < depth; d++) dx[dst + d] += dyValues[src + d];
      }
    }
  }
  return cpu.makeTensorInfo([batch, xH, xW, depth], "float32", dx);
};

/** Replaces the cpu backend's ResizeNearestNeighborGrad with the corrected one. */
export function fixCpuResizeNearestNeighborGrad(): void {
  tf.unregisterKernel(tf.ResizeNearestNeighborGrad, "cpu");
  tf.registerKernel({ kernelName: tf.ResizeNearestNeighborGrad, backendName: "cpu", kernelFunc });
}
