/**
 * Row normalisations over the last axis as single-pass kernels for the blas
 * backend: LayerNorm (x − mean)·rstd and RMSNorm x·rstd, each returning the
 * per-row statistics its backward kernel needs.
 *
 * Backward with x̂ the normalised row and n its length:
 *   LayerNorm: dx = rstd·(dy − mean(dy) − x̂·mean(dy·x̂))
 *   RMSNorm:   dx = rstd·(dy − x̂·mean(dy·x̂))
 *
 * References: Ba et al. 2016, "Layer Normalization" §3; Zhang & Sennrich
 * 2019, "Root Mean Square Layer Normalization" §3; Wan-Video/Wan2.1
 * `wan/modules/model.py` (WanLayerNorm, WanRMSNorm).
 */
import { blasConfig, f32, type KernelArgs, out } from "./_kernel_utils.ts";
import { newF32 } from "./_pool.ts";

/** Kernel names. */
export const LAYER_NORM = "BlasLayerNorm";
export const LAYER_NORM_GRAD = "BlasLayerNormGrad";
export const RMS_NORM = "BlasRmsNorm";
export const RMS_NORM_GRAD = "BlasRmsNormGrad";

/** Inputs x; attrs eps, center (LayerNorm: subtract the mean). Outputs [y, mean, rstd] (per row). */
function normForward(center: boolean) {
  return ({ inputs, backend, attrs }: KernelArgs) => {
    const x = f32(backend, inputs.x);
    const n = inputs.x.shape.at(-1)!;
    const rows = n === 0 ? 0 : x.length / n;
    const eps = attrs!.eps as number;
    const y = newF32(x.length);
    const means = new Float32Array(rows), rstds = new Float32Array(rows);
    for (let r = 0, off = 0; r < rows; r++, off += n) {
      let mean = 0;
      if (center) {
        for (let j = 0; j < n; j++) mean += x[off + j];
        mean /= n;
      }
      let ss = 0;
      for (let j = 0; j < n; j++) {
        const c = x[off + j] - mean;
        ss += c * c;
      }
      const rstd = 1 / Math.sqrt(ss / n + eps);
      for (let j = 0; j < n; j++) y[off + j] = (x[off + j] - mean) * rstd;
      means[r] = mean;
      rstds[r] = rstd;
    }
    const rowShape = inputs.x.shape.slice(0, -1);
    return [out(backend, inputs.x.shape, y), out(backend, rowShape, means), out(backend, rowShape, rstds)];
  };
}

/** Inputs dy, x, mean, rstd. Output dx. */
function normBackward(center: boolean) {
  return ({ inputs, backend }: KernelArgs) => {
    const x = f32(backend, inputs.x), dy = f32(backend, inputs.dy);
    const means = f32(backend, inputs.mean), rstds = f32(backend, inputs.rstd);
    const n = inputs.x.shape.at(-1)!;
    const dx = newF32(x.length);
    for (let r = 0, off = 0; r < means.length; r++, off += n) {
      const mean = means[r], rstd = rstds[r];
      let sumDy = 0, sumDyXhat = 0;
      for (let j = 0; j < n; j++) {
        const g = dy[off + j];
        sumDy += g;
        sumDyXhat += g * (x[off + j] - mean) * rstd;
      }
      const a = center ? sumDy / n : 0, b = sumDyXhat / n;
      for (let j = 0; j < n; j++) {
        dx[off + j] = rstd * (dy[off + j] - a - (x[off + j] - mean) * rstd * b);
      }
    }
    return out(backend, inputs.x.shape, dx);
  };
}

/** Kernel configs of this file. */
export const normConfigs = [
  blasConfig(LAYER_NORM, normForward(true)),
  blasConfig(LAYER_NORM_GRAD, normBackward(true)),
  blasConfig(RMS_NORM, normForward(false)),
  blasConfig(RMS_NORM_GRAD, normBackward(false)),
];
