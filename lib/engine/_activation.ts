/**
 * The epilogue of the fused kernels (_FusedMatMul, FusedConv2D): bias add and
 * activation on float32 values in channels-last layout.
 *
 * References: TensorFlow.js `backend_util.Activation` and the cpu
 * `applyActivation` (linear, relu, relu6, prelu, leakyrelu (alpha 0.2 by
 * default), elu, sigmoid).
 */
import { binaryValues } from "./_elementwise.ts";
import { fastExp } from "./_fast_math.ts";

/** A float32 tensor as values and shape. */
export interface Values {
  values: Float32Array;
  shape: number[];
}

/** Activations applied in place. */
const IN_PLACE: Record<string, ((v: Float32Array, alpha: number) => void) | undefined> = {
  linear: () => {},
  relu: (v) => {
    for (let i = 0; i < v.length; i++) if (v[i] < 0) v[i] = 0;
  },
  relu6: (v) => {
    for (let i = 0; i < v.length; i++) v[i] = Math.min(Math.max(0, v[i]), 6);
  },
  sigmoid: (v) => {
    for (let i = 0; i < v.length; i++) {
      const e = fastExp(v[i] < 0 ? v[i] : -v[i]);
      v[i] = v[i] < 0 ? e / (1 + e) : 1 / (1 + e);
    }
  },
  leakyrelu: (v, alpha) => {
    for (let i = 0; i < v.length; i++) if (v[i] < 0) v[i] *= alpha;
  },
  elu: (v) => {
    for (let i = 0; i < v.length; i++) if (!(v[i] >= 0)) v[i] = Math.exp(v[i]) - 1;
  },
};

/**
 * y = activation(x + bias), bias and prelu weights broadcast against x.
 * @param x pre-activation values (may be modified in place)
 * @param options bias, activation name, prelu weights, leaky-relu alpha
 * @returns the activated values
 */
export function biasActivation(
  x: Values,
  options: { bias?: Values; activation?: string; prelu?: Values; leakyreluAlpha?: number },
): Values {
  let r = x;
  if (options.bias) r = binaryValues("Add", r, options.bias);
  const activation = options.activation ?? "linear";
  const inPlace = IN_PLACE[activation];
  if (inPlace) {
    inPlace(r.values, options.leakyreluAlpha ?? 0.2);
    return r;
  }
  if (activation === "prelu" && options.prelu) return binaryValues("Prelu", r, options.prelu);
  throw new TypeError(
    `Cannot apply activation "${activation}": expected linear, relu, relu6, sigmoid, leakyrelu, elu or prelu`,
  );
}
