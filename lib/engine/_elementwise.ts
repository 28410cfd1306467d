/**
 * Element-wise binary kernels (Add, Sub, Multiply, RealDiv, SquaredDifference,
 * Maximum, Minimum, Pow, Prelu, and the comparisons Equal … LessEqual with a
 * bool output) with numpy broadcasting, for float32 inputs.
 *
 * Broadcasting is reduced to a short list of (size, a-stride, b-stride) loops:
 * size-1 output axes are dropped and neighbouring axes where each operand
 * either varies or is broadcast in both are merged. Same shape, scalar,
 * last-axis (bias) and row (x − max keepDims) broadcasting all collapse to one
 * or two loops; anything else walks an odometer over the outer loops. The
 * innermost loops are generated per operation with `new Function` so each has
 * its arithmetic inlined (one monomorphic loop per op and stride pattern).
 *
 * References: numpy broadcasting rules; TensorFlow.js cpu kernels for the
 * per-element formulas (e.g. SquaredDifference = (a − b)², Maximum = Math.max).
 */
import {
  Add,
  backend_util,
  Equal,
  Greater,
  GreaterEqual,
  Less,
  LessEqual,
  Maximum,
  Minimum,
  Multiply,
  NotEqual,
  Pow,
  Prelu,
  RealDiv,
  SquaredDifference,
  Sub,
} from "@tensorflow/tfjs-core";
import { allFloat32, blasConfig, cpuKernel, f32, type KernelArgs, out, sizeOf } from "./_kernel_utils.ts";
import { newF32 } from "./_pool.ts";

/** Per-element formula of each kernel, in terms of `a` and `b` (JS doubles). */
const FORMULAS: Record<string, string> = {
  [Add]: "a + b",
  [Sub]: "a - b",
  [Multiply]: "a * b",
  [RealDiv]: "a / b",
  [SquaredDifference]: "(a - b) * (a - b)",
  [Maximum]: "Math.max(a, b)",
  [Minimum]: "Math.min(a, b)",
  [Pow]: "Math.pow(a, b)",
  [Prelu]: "a < 0 ? b * a : a",
};

/** Comparisons: float32 operands, bool (Uint8Array 0/1) output; NaN compares false (≠ true). */
const COMPARISONS: Record<string, string> = {
  [Equal]: "a === b ? 1 : 0",
  [NotEqual]: "a !== b ? 1 : 0",
  [Greater]: "a > b ? 1 : 0",
  [GreaterEqual]: "a >= b ? 1 : 0",
  [Less]: "a < b ? 1 : 0",
  [LessEqual]: "a <= b ? 1 : 0",
};

/** Input names of kernels whose operands are not called a and b. */
const INPUT_NAMES: Record<string, [string, string]> = { [Prelu]: ["x", "alpha"] };

/** Inner loop: o[oo + i] = f(x[xo + i·sx], y[yo + i·sy]) for i < n, sx, sy ∈ {0, 1}. */
type Loop = (o: Float32Array, oo: number, x: Float32Array, xo: number, y: Float32Array, yo: number, n: number) => void;

interface Loops {
  vv: Loop;
  vs: Loop;
  sv: Loop;
  ss: Loop;
}

function makeLoops(formula: string): Loops {
  return {
    vv: makeLoop(formula, true, true),
    vs: makeLoop(formula, true, false),
    sv: makeLoop(formula, false, true),
    ss: makeLoop(formula, false, false),
  };
}

function makeLoop(formula: string, aVaries: boolean, bVaries: boolean): Loop {
  const source = `"use strict";
${aVaries ? "" : "const a = x[xo];"}
${bVaries ? "" : "const b = y[yo];"}
for (let i = 0; i < n; i++) {
  ${aVaries ? "const a = x[xo + i];" : ""}
  ${bVaries ? "const b = y[yo + i];" : ""}
  o[oo + i] = ${formula};
}`;
  return new Function("o", "oo", "x", "xo", "y", "yo", "n", source) as Loop;
}

/** A broadcast loop nest: sizes outer→inner and the operands' strides per loop. */
export interface BroadcastPlan {
  outShape: number[];
  sizes: number[];
  aStrides: number[];
  bStrides: number[];
}

/**
 * Collapses the broadcast of `aShape` with `bShape` into the fewest loops.
 * @param aShape shape of a
 * @param bShape shape of b
 * @param toShape broadcast both further to this shape (default: their broadcast)
 * @returns the output shape and the loop nest
 */
export function broadcastPlan(
  aShape: readonly number[],
  bShape: readonly number[],
  toShape?: readonly number[],
): BroadcastPlan {
  let outShape = backend_util.assertAndGetBroadcastShape(aShape as number[], bShape as number[]);
  if (toShape) {
    const full = backend_util.assertAndGetBroadcastShape(outShape, toShape as number[]);
    if (full.length !== toShape.length || full.some((d, i) => d !== toShape[i])) {
      throw new RangeError(`Cannot broadcast [${aShape}] and [${bShape}] to [${toShape}]: they broadcast to [${full}]`);
    }
    outShape = full;
  }
  const r = outShape.length;
  const pa = [...Array(r - aShape.length).fill(1), ...aShape];
  const pb = [...Array(r - bShape.length).fill(1), ...bShape];
  // Each kept axis: (size, a varies?, b varies?); merge neighbours with equal flags.
  const sizes: number[] = [];
  const aVar: boolean[] = [];
  const bVar: boolean[] = [];
  for (let i = 0; i < r; i++) {
    if (outShape[i] === 1) continue;
    const av = pa[i] !== 1, bv = pb[i] !== 1;
    const k = sizes.length - 1;
    if (k >= 0 && aVar[k] === av && bVar[k] === bv) sizes[k] *= outShape[i];
    else {
      sizes.push(outShape[i]);
      aVar.push(av);
      bVar.push(bv);
    }
  }
  const strides = (varies: boolean[]) => {
    const s = new Array<number>(sizes.length);
    let acc = 1;
    for (let i = sizes.length - 1; i >= 0; i--) {
      s[i] = varies[i] ? acc : 0;
      if (varies[i]) acc *= sizes[i];
    }
    return s;
  };
  return { outShape, sizes, aStrides: strides(aVar), bStrides: strides(bVar) };
}

/**
 * Runs a binary formula over broadcast float32 operands.
 * @param kernelName one of the kernels in FORMULAS
 * @param a left operand values and shape
 * @param b right operand values and shape
 * @param toShape output shape when larger than the operands' broadcast (e.g. Sum's gradient)
 * @returns output values and shape
 */
export function binaryValues(
  kernelName: string,
  a: { values: Float32Array; shape: readonly number[] },
  b: { values: Float32Array; shape: readonly number[] },
  toShape?: readonly number[],
): { values: Float32Array; shape: number[] } {
  const plan = broadcastPlan(a.shape, b.shape, toShape);
  const result = newF32(sizeOf(plan.outShape));
  run(loopsOf(kernelName), plan, a.values, b.values, result);
  return { values: result, shape: plan.outShape };
}

/**
 * Compares broadcast float32 operands element-wise.
 * @param kernelName Equal, NotEqual, Greater, GreaterEqual, Less or LessEqual
 * @param a left operand values and shape
 * @param b right operand values and shape
 * @returns 0/1 values and the output shape
 */
export function compareValues(
  kernelName: string,
  a: { values: Float32Array; shape: readonly number[] },
  b: { values: Float32Array; shape: readonly number[] },
): { values: Uint8Array; shape: number[] } {
  const plan = broadcastPlan(a.shape, b.shape);
  const result = new Uint8Array(sizeOf(plan.outShape));
  run(loopsOf(kernelName), plan, a.values, b.values, result as unknown as Float32Array);
  return { values: result, shape: plan.outShape };
}

/** Runs the loop nest of `plan`: the innermost loop per row, an odometer over the outer loops. */
function run(loops: Loops, plan: BroadcastPlan, a: Float32Array, b: Float32Array, result: Float32Array) {
  if (result.length === 0) return;
  const { sizes, aStrides, bStrides } = plan;
  const r = sizes.length;
  if (r === 0) {
    loops.vv(result, 0, a, 0, b, 0, 1);
    return;
  }
  const n = sizes[r - 1];
  const aVaries = aStrides[r - 1] !== 0, bVaries = bStrides[r - 1] !== 0;
  const loop = aVaries ? (bVaries ? loops.vv : loops.vs) : (bVaries ? loops.sv : loops.ss);
  const rows = result.length / n;
  const idx = new Array<number>(r - 1).fill(0);
  let ao = 0, bo = 0;
  for (let row = 0, oo = 0; row < rows; row++, oo += n) {
    loop(result, oo, a, ao, b, bo, n);
    for (let ax = r - 2; ax >= 0; ax--) {
      ao += aStrides[ax];
      bo += bStrides[ax];
      if (++idx[ax] < sizes[ax]) break;
      ao -= aStrides[ax] * sizes[ax];
      bo -= bStrides[ax] * sizes[ax];
      idx[ax] = 0;
    }
  }
}

const LOOPS = new Map<string, Loops>();
function loopsOf(kernelName: string): Loops {
  let l = LOOPS.get(kernelName);
  if (!l) {
    const formula = FORMULAS[kernelName] ?? COMPARISONS[kernelName];
    if (!formula) {
      const known = [...Object.keys(FORMULAS), ...Object.keys(COMPARISONS)];
      throw new TypeError(`Cannot run binary kernel "${kernelName}": expected one of ${known.join(", ")}`);
    }
    l = makeLoops(formula);
    LOOPS.set(kernelName, l);
  }
  return l;
}

function binaryKernel(kernelName: string) {
  const fallback = cpuKernel(kernelName);
  const [aName, bName] = INPUT_NAMES[kernelName] ?? ["a", "b"];
  return (args: KernelArgs) => {
    const a = args.inputs[aName], b = args.inputs[bName];
    if (!allFloat32(a, b)) return fallback(args);
    const { backend } = args;
    const r = binaryValues(kernelName, { values: f32(backend, a), shape: a.shape }, {
      values: f32(backend, b),
      shape: b.shape,
    });
    return out(backend, r.shape, r.values);
  };
}

function compareKernel(kernelName: string) {
  const fallback = cpuKernel(kernelName);
  return (args: KernelArgs) => {
    const { a, b } = args.inputs;
    if (!allFloat32(a, b)) return fallback(args);
    const { backend } = args;
    const r = compareValues(kernelName, { values: f32(backend, a), shape: a.shape }, {
      values: f32(backend, b),
      shape: b.shape,
    });
    return backend.makeTensorInfo(r.shape, "bool", r.values);
  };
}

/** Kernel configs of this file. */
export const binaryConfigs = [
  ...Object.keys(FORMULAS).map((name) => blasConfig(name, binaryKernel(name))),
  ...Object.keys(COMPARISONS).map((name) => blasConfig(name, compareKernel(name))),
];
