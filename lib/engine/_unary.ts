/**
 * Element-wise unary kernels for float32 inputs, each a generated loop with
 * its formula inlined (see _elementwise.ts for why loops are generated).
 * Exp, Tanh, Sigmoid and Erf use the float32-accurate fastExp / fastTanh.
 *
 * References: TensorFlow.js cpu kernels for the per-element formulas (Erf uses
 * the Abramowitz–Stegun 7.1.26 approximation with `backend_util.ERF_*`,
 * Sigmoid = 1 / (1 + e^−x), Relu = max(0, x), Step(alpha), LeakyRelu(alpha)).
 */
import {
  Abs,
  backend_util,
  ClipByValue,
  Cos,
  Elu,
  Erf,
  Exp,
  Expm1,
  LeakyRelu,
  Log,
  Log1p,
  Neg,
  Reciprocal,
  Relu,
  Relu6,
  Rsqrt,
  Sigmoid,
  Sin,
  Sqrt,
  Square,
  Step,
  Tanh,
} from "@tensorflow/tfjs-core";
import { blasConfig, cpuKernel, f32, type KernelArgs, out } from "./_kernel_utils.ts";
import { fastExp, fastTanh } from "./_fast_math.ts";
import { newF32 } from "./_pool.ts";

const { ERF_P, ERF_A1, ERF_A2, ERF_A3, ERF_A4, ERF_A5 } = backend_util;
const ERF_PRE = `const t = 1 / (1 + ${ERF_P} * Math.abs(v));`;
const ERF = `(v < 0 ? -1 : v > 0 ? 1 : v) *
    (1 - ((((${ERF_A5} * t + ${ERF_A4}) * t + ${ERF_A3}) * t + ${ERF_A2}) * t + ${ERF_A1}) * t * fastExp(-v * v))`;

/**
 * Per-element formula in terms of `v` (after the optional statement `pre`);
 * `p` and `q` are the kernel's numeric attributes named in `params`.
 */
const UNARY: Record<string, { formula: string; pre?: string; params?: [string, string?] }> = {
  [Exp]: { formula: "fastExp(v)" },
  [Expm1]: { formula: "Math.expm1(v)" },
  [Log]: { formula: "Math.log(v)" },
  [Log1p]: { formula: "Math.log1p(v)" },
  [Sqrt]: { formula: "Math.sqrt(v)" },
  [Rsqrt]: { formula: "1 / Math.sqrt(v)" },
  [Reciprocal]: { formula: "1 / v" },
  [Neg]: { formula: "-v" },
  [Abs]: { formula: "Math.abs(v)" },
  [Square]: { formula: "v * v" },
  [Tanh]: { formula: "fastTanh(v)" },
  // e = e^−|v| ≤ 1 keeps both tails exact: 1/(1+e) for v ≥ 0, e/(1+e) for v < 0.
  [Sigmoid]: { formula: "v < 0 ? e / (1 + e) : 1 / (1 + e)", pre: "const e = fastExp(v < 0 ? v : -v);" },
  [Sin]: { formula: "Math.sin(v)" },
  [Cos]: { formula: "Math.cos(v)" },
  [Erf]: { formula: ERF, pre: ERF_PRE },
  [Relu]: { formula: "Math.max(0, v)" },
  [Relu6]: { formula: "Math.min(Math.max(0, v), 6)" },
  [Elu]: { formula: "v >= 0 ? v : Math.exp(v) - 1" },
  [Step]: { formula: "v !== v ? NaN : v > 0 ? 1 : p", params: ["alpha"] },
  [LeakyRelu]: { formula: "v < 0 ? p * v : v", params: ["alpha"] },
  [ClipByValue]: { formula: "v > q ? q : v < p ? p : v", params: ["clipValueMin", "clipValueMax"] },
};

type UnaryLoop = (o: Float32Array, x: Float32Array, n: number, p: number, q: number) => void;

function makeLoop(formula: string, pre = ""): UnaryLoop {
  const source = `"use strict";
return function loop(o, x, n, p, q) {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    ${pre}
    o[i] = ${formula};
  }
};`;
  return new Function("fastExp", "fastTanh", source)(fastExp, fastTanh) as UnaryLoop;
}

/**
 * Applies a unary kernel's formula to float32 values.
 * @param kernelName one of the kernels in UNARY
 * @param x input values
 * @param attrs the kernel's attributes (for Step, LeakyRelu, ClipByValue)
 * @returns the output values
 */
export function unaryValues(kernelName: string, x: Float32Array, attrs: Record<string, unknown> = {}): Float32Array {
  const spec = UNARY[kernelName];
  if (!spec) {
    throw new TypeError(`Cannot run unary kernel "${kernelName}": expected one of ${Object.keys(UNARY).join(", ")}`);
  }
  let loop = LOOPS.get(kernelName);
  if (!loop) {
    loop = makeLoop(spec.formula, spec.pre);
    LOOPS.set(kernelName, loop);
  }
  const [pName, qName] = spec.params ?? [];
  const result = newF32(x.length);
  loop(result, x, x.length, pName ? Number(attrs[pName]) : 0, qName ? Number(attrs[qName]) : 0);
  return result;
}

const LOOPS = new Map<string, UnaryLoop>();

function unaryKernel(kernelName: string) {
  const fallback = cpuKernel(kernelName);
  return (args: KernelArgs) => {
    const { x } = args.inputs;
    if (x.dtype !== "float32") return fallback(args);
    return out(args.backend, x.shape, unaryValues(kernelName, f32(args.backend, x), args.attrs ?? {}));
  };
}

/** Kernel configs of this file. */
export const unaryConfigs = Object.keys(UNARY).map((name) => blasConfig(name, unaryKernel(name)));
