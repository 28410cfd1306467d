/**
 * Single-pass gradient kernels for the blas backend, replacing TensorFlow.js
 * gradients that are compositions of 3–4 full-size kernels, plus the fused
 * GELU(tanh) kernels behind `geluTanh`.
 *
 * The gradient overrides are global in TensorFlow.js (gradients are keyed by
 * kernel name only), so each wraps the stock gradient and takes the fused
 * path only when the blas backend is active, the tensors are float32 and no
 * outer tape is recording (so higher-order gradients still compose from
 * differentiable ops).
 *
 * References: TensorFlow.js gradients Softmax_grad (dx = y·(dy − Σ dy·y)),
 * Tanh_grad (dy·(1 − y²)), Sigmoid_grad (dy·y·(1 − y)), Square_grad (2·x·dy),
 * Sum_grad / Mean_grad (dy broadcast back, / reduce size); GELU(tanh):
 * Hendrycks & Gimpel 2016, y = ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³),
 * computed as x·σ(2u) (the same function, one exp instead of a tanh);
 * SiLU: Elfwing et al. 2018, y = x·σ(x), dy/dx = σ(x)·(1 + x·(1 − σ(x))).
 */
import * as tf from "@tensorflow/tfjs-core";
import { Mean, Sigmoid, Softmax, Square, Sum, Tanh, util } from "@tensorflow/tfjs-core";
import { blasConfig, f32, type KernelArgs, out } from "./_kernel_utils.ts";
import { binaryValues } from "./_elementwise.ts";
import { fastExp } from "./_fast_math.ts";
import { newF32 } from "./_pool.ts";

/** Kernel names of the fused GELU(tanh) forward and backward. */
export const GELU_TANH = "GeluTanh";
export const GELU_TANH_GRAD = "GeluTanhGrad";
/** Kernel names of the fused SiLU forward and backward. */
export const SILU = "BlasSilu";
export const SILU_GRAD = "BlasSiluGrad";

const SOFTMAX_GRAD = "BlasSoftmaxGrad";
const TANH_GRAD = "BlasTanhGrad";
const SIGMOID_GRAD = "BlasSigmoidGrad";
const SQUARE_GRAD = "BlasSquareGrad";
const BROADCAST_SCALE = "BlasBroadcastDiv";

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/** dx = y·(dy − Σ_row dy·y) over the last axis. */
function softmaxGrad({ inputs, backend }: KernelArgs) {
  const dy = f32(backend, inputs.dy), y = f32(backend, inputs.y);
  const n = inputs.y.shape.at(-1)!;
  const dx = newF32(y.length);
  for (let off = 0; off < y.length; off += n) {
    let s = 0;
    for (let j = 0; j < n; j++) s += dy[off + j] * y[off + j];
    for (let j = 0; j < n; j++) dx[off + j] = y[off + j] * (dy[off + j] - s);
  }
  return out(backend, inputs.y.shape, dx);
}

/**
 * An element-wise kernel of (dy, t) with `formula` (in terms of g = dy[i] and
 * t = the saved tensor's value) compiled into its own loop, so each kernel's
 * arithmetic is inlined (a shared loop calling a formula closure would not be).
 */
function pointwise(formula: string, tName: string) {
  const loop = new Function(
    "dx",
    "dy",
    "t",
    "n",
    `"use strict";\nfor (let i = 0; i < n; i++) {\n  const g = dy[i], v = t[i];\n  dx[i] = ${formula};\n}`,
  ) as (dx: Float32Array, dy: Float32Array, t: Float32Array, n: number) => void;
  return ({ inputs, backend }: KernelArgs) => {
    const dy = f32(backend, inputs.dy), t = f32(backend, inputs[tName]);
    const dx = newF32(t.length);
    loop(dx, dy, t, t.length);
    return out(backend, inputs[tName].shape, dx);
  };
}

/** dy (reshaped to keep-dims) broadcast to `shape`, divided by `divisor`. */
function broadcastDiv({ inputs, backend, attrs }: KernelArgs) {
  const shape = attrs!.shape as number[];
  const divisor = attrs!.divisor as number;
  const r = binaryValues(
    "RealDiv",
    { values: f32(backend, inputs.dy), shape: inputs.dy.shape },
    { values: new Float32Array([divisor]), shape: [] },
    shape,
  );
  return out(backend, r.shape, r.values);
}

// ½·x·(1 + tanh(u)) = x·σ(2u): one exp and one division per element.
// Inputs x; attrs keepGate. Outputs [y] or [y, σ(2u)] (the backward pass then needs no exp).
function geluTanhForward({ inputs, backend, attrs }: KernelArgs) {
  const x = f32(backend, inputs.x);
  const y = newF32(x.length);
  if (attrs?.keepGate) {
    const g = newF32(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const s = 1 / (1 + fastExp(-2 * GELU_C * (v + GELU_A * v * v * v)));
      g[i] = s;
      y[i] = v * s;
    }
    return [out(backend, inputs.x.shape, y), out(backend, inputs.x.shape, g)];
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    y[i] = v / (1 + fastExp(-2 * GELU_C * (v + GELU_A * v * v * v)));
  }
  return [out(backend, inputs.x.shape, y)];
}

// d/dx x·σ(2u) = σ + x·σ·(1 − σ)·2u′, u′ = c·(1 + 3a·x²). Inputs dy, x and the kept gate σ(2u).
function geluTanhBackward({ inputs, backend }: KernelArgs) {
  const x = f32(backend, inputs.x), dy = f32(backend, inputs.dy), gate = f32(backend, inputs.gate);
  const dx = newF32(x.length);
  const c2 = 2 * GELU_C, a3 = 3 * GELU_A;
  for (let i = 0; i < x.length; i++) {
    const v = x[i], s = gate[i];
    dx[i] = dy[i] * (s + v * s * (1 - s) * c2 * (1 + a3 * v * v));
  }
  return out(backend, inputs.x.shape, dx);
}

// x·σ(x) in one pass. Inputs x; attrs keepGate. Outputs [y] or [y, σ(x)] (the backward pass then needs no exp).
function siluForward({ inputs, backend, attrs }: KernelArgs) {
  const x = f32(backend, inputs.x);
  const y = newF32(x.length);
  if (attrs?.keepGate) {
    const g = newF32(x.length);
    for (let i = 0; i < x.length; i++) {
      const s = 1 / (1 + fastExp(-x[i]));
      g[i] = s;
      y[i] = x[i] * s;
    }
    return [out(backend, inputs.x.shape, y), out(backend, inputs.x.shape, g)];
  }
  for (let i = 0; i < x.length; i++) y[i] = x[i] / (1 + fastExp(-x[i]));
  return [out(backend, inputs.x.shape, y)];
}

/** Kernel configs of this file. */
export const fusedConfigs = [
  blasConfig(SOFTMAX_GRAD, softmaxGrad),
  blasConfig(TANH_GRAD, pointwise("g * (1 - v * v)", "y")),
  blasConfig(SIGMOID_GRAD, pointwise("g * (v * (1 - v))", "y")),
  blasConfig(SQUARE_GRAD, pointwise("g * (v * 2)", "x")),
  blasConfig(BROADCAST_SCALE, broadcastDiv),
  blasConfig(GELU_TANH, geluTanhForward),
  blasConfig(GELU_TANH_GRAD, geluTanhBackward),
  blasConfig(SILU, siluForward),
  // d/dx x·σ = σ·(1 + x·(1 − σ)). Inputs dy, x and the kept gate σ(x).
  blasConfig(SILU_GRAD, ({ inputs, backend }: KernelArgs) => {
    const x = f32(backend, inputs.x), dy = f32(backend, inputs.dy), gate = f32(backend, inputs.gate);
    const dx = newF32(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i], s = gate[i];
      dx[i] = dy[i] * s * (1 + v * (1 - s));
    }
    return out(backend, inputs.x.shape, dx);
  }),
];

/** True when a fused gradient kernel may replace the composed one. */
export function fusedPathOpen(...ts: tf.Tensor[]): boolean {
  if (tf.getBackend() !== "blas") return false;
  const depth = (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth;
  return depth === 0 && ts.every((t) => t.dtype === "float32");
}

const run = (name: string, inputs: Record<string, tf.Tensor>, attrs?: Record<string, unknown>) =>
  tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;

/** Input name → gradient thunk, as TensorFlow.js gradient functions return. */
type GradientMap = Record<string, () => tf.Tensor>;
type GradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => GradientMap;

/** Wraps the stock gradient of `kernelName` with a fused path (returns null to decline). */
function overrideGradient(
  kernelName: string,
  fused: (dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap) => GradientMap | null,
) {
  const stock = tf.getGradient(kernelName);
  if (!stock) {
    throw new Error(`Cannot override the gradient of ${kernelName}: none is registered (import @tensorflow/tfjs)`);
  }
  const stockFunc = stock.gradFunc as GradFunc;
  tf.registerGradient({
    ...stock,
    gradFunc: ((dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) =>
      (!Array.isArray(dy) && fused(dy, saved, attrs)) || stockFunc(dy, saved, attrs)) as tf.GradConfig["gradFunc"],
  });
}

let gradientsInstalled = false;

/**
 * Installs the fused gradients (once).
 * Requires the stock gradients to be registered (`import "@tensorflow/tfjs"`).
 */
export function installFusedGradients() {
  if (gradientsInstalled) return;
  gradientsInstalled = true;
  overrideGradient(Softmax, (dy, [y]) => fusedPathOpen(dy, y) ? { logits: () => run(SOFTMAX_GRAD, { dy, y }) } : null);
  overrideGradient(Tanh, (dy, [y]) => fusedPathOpen(dy, y) ? { x: () => run(TANH_GRAD, { dy, y }) } : null);
  overrideGradient(Sigmoid, (dy, [y]) => fusedPathOpen(dy, y) ? { x: () => run(SIGMOID_GRAD, { dy, y }) } : null);
  overrideGradient(Square, (dy, [x]) => fusedPathOpen(dy, x) ? { x: () => run(SQUARE_GRAD, { dy, x }) } : null);
  const reduceGrad = (mean: boolean) => (dy: tf.Tensor, [x]: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    if (!fusedPathOpen(dy, x)) return null;
    const axes = util.parseAxisParam(attrs.axis as number | number[], x.shape);
    const expanded = x.shape.map((d, i) => (axes.includes(i) ? 1 : d)); // dy with keep-dims
    const divisor = mean ? util.sizeFromShape(axes.map((a) => x.shape[a])) : 1;
    return { x: () => run(BROADCAST_SCALE, { dy: tf.reshape(dy, expanded) }, { shape: x.shape, divisor }) };
  };
  overrideGradient(Sum, reduceGrad(false));
  overrideGradient(Mean, reduceGrad(true));
}

/** dy · d/dx GELU(tanh) from differentiable ops (for higher-order gradients and other backends). */
export function geluTanhDerivativeOps(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const x2 = tf.square(x);
    const t = tf.tanh(tf.mul(GELU_C, tf.add(x, tf.mul(GELU_A, tf.mul(x2, x)))));
    const left = tf.mul(0.5, tf.add(1, t));
    const right = tf.mul(
      tf.mul(tf.mul(0.5, x), tf.sub(1, tf.square(t))),
      tf.mul(GELU_C, tf.add(1, tf.mul(3 * GELU_A, x2))),
    );
    return tf.mul(dy, tf.add(left, right));
  });
}
