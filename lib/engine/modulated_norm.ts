/**
 * LayerNorm or RMSNorm over the last axis followed by a per-row scale and
 * shift, norm(x)·scale + shift: the affine norms (scale = weight, shift =
 * bias, shape [C]) and a DiT's adaLN modulation (scale = 1 + e₁, shift = e₀,
 * one vector per batch entry, shape [B, 1, C]) alike. One kernel forward and
 * one backward on the blas backend (returning the scale and shift gradients
 * from the same pass); `fusedLayerNorm`/`fusedRmsNorm` then mul/add elsewhere,
 * or when scale/shift have another shape.
 *
 * References: Ba et al. 2016, "Layer Normalization" §3; Zhang & Sennrich
 * 2019, "Root Mean Square Layer Normalization" §3; Peebles & Xie 2023,
 * "Scalable Diffusion Models with Transformers" §3.2 (adaLN);
 * Wan-Video/Wan2.1 `wan/modules/model.py` (`WanAttentionBlock.forward`:
 * `norm1(x) * (1 + e[1]) + e[0]`, WanLayerNorm, WanRMSNorm).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { initEngine } from "./init_engine.ts";
 * import { modulatedNorm } from "./modulated_norm.ts";
 * await initEngine({ backend: "cpu" });
 * const y = modulatedNorm(tf.tensor([[[1, 3]]]), { eps: 0, scale: tf.tensor([[[2, 2]]]), shift: tf.tensor([[[0, 1]]]) });
 * console.log(y.arraySync()); // [[[-2, 3]]]
 * ```
 */
import * as tf from "@tensorflow/tfjs-core";
import { fusedLayerNorm } from "./fused_layer_norm.ts";
import { fusedRmsNorm } from "./fused_rms_norm.ts";
import { gradientDepth, kernelOpen, MODULATED_NORM, MODULATED_NORM_GRAD, rowGroups } from "./_fused_modulation.ts";

/** Options of {@link modulatedNorm}. */
export interface ModulatedNormOptions {
  /** "layer" (subtract the mean; default) or "rms". */
  kind?: "layer" | "rms";
  /** Added to the variance / mean square (default 1e-6, Wan's). */
  eps?: number;
  /** Multiplies the normalised x: [C] or [B, 1, …, 1, C] (or [1, …, C]). */
  scale: tf.Tensor;
  /** Added after the scale, same shapes as scale. */
  shift?: tf.Tensor;
}

/**
 * @param x input [B, …, C]
 * @param options norm kind, eps, scale and optional shift
 * @returns norm(x)·scale + shift, same shape as x
 */
export function modulatedNorm(x: tf.Tensor, options: ModulatedNormOptions): tf.Tensor {
  const { scale, shift } = options;
  const eps = options.eps ?? 1e-6;
  const kind = options.kind ?? "layer";
  if (!(eps >= 0)) throw new RangeError(`Cannot normalise as eps must be >= 0: received ${eps}`);
  if (kind !== "layer" && kind !== "rms") {
    throw new RangeError(`Cannot normalise as kind must be "layer" or "rms": received "${kind}"`);
  }
  if (x.rank === 0) throw new RangeError(`Cannot normalise a scalar over its last axis: received shape [${x.shape}]`);
  const groups = rowGroups(x.shape, scale.shape);
  const fused = kernelOpen(MODULATED_NORM, x, scale, ...(shift ? [shift] : [])) && groups > 0 &&
    (!shift || rowGroups(x.shape, shift.shape) === groups && shift.size === scale.size);
  if (!fused) return composed(x, kind, eps, scale, shift);
  const center = kind === "layer";
  const run = (xx: tf.Tensor, ss: tf.Tensor, tt: tf.Tensor | undefined, save: tf.GradSaveFunc) => {
    const inputs: tf.NamedTensorMap = tt ? { x: xx, scale: ss, shift: tt } : { x: xx, scale: ss };
    const [y, mean, rstd] = tf.engine().runKernel(MODULATED_NORM, inputs, { eps, center }) as tf.Tensor[];
    save([xx, ss, mean, rstd, ...(tt ? [tt] : [])]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sscale, smean, srstd, sshift] = saved;
        if (gradientDepth() > 0 || !kernelOpen(MODULATED_NORM_GRAD, dy)) {
          // Under an outer tape: differentiate the composed ops (higher-order gradients).
          const f = (a: tf.Tensor, b: tf.Tensor, c?: tf.Tensor) => composed(a, kind, eps, b, c);
          return tf.grads(f)(sshift ? [sx, sscale, sshift] : [sx, sscale], dy);
        }
        const [dx, ds, dt] = tf.engine().runKernel(
          MODULATED_NORM_GRAD,
          { dy, x: sx, mean: smean, rstd: srstd, scale: sscale },
          { center, shift: !!sshift },
        ) as tf.Tensor[];
        const grads = [dx, tf.reshape(ds, sscale.shape)];
        if (sshift) grads.push(tf.reshape(dt, sshift.shape));
        return grads;
      },
    };
  };
  const op = shift
    ? tf.customGrad(
      ((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, save: tf.GradSaveFunc) =>
        run(a, b, c, save)) as unknown as Parameters<typeof tf.customGrad>[0],
    )
    : tf.customGrad(
      ((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => run(a, b, undefined, save)) as unknown as Parameters<
        typeof tf.customGrad
      >[0],
    );
  return (shift ? op(x, scale, shift) : op(x, scale)) as tf.Tensor;
}

/** The same function from differentiable ops. */
function composed(x: tf.Tensor, kind: "layer" | "rms", eps: number, scale: tf.Tensor, shift?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const n = kind === "layer" ? fusedLayerNorm(x, { eps }) : fusedRmsNorm(x, { eps });
    const y = tf.mul(n, scale);
    return shift ? tf.add(y, shift) : y;
  });
}
