/**
 * Transpose of any rank for the "webgpu" backend. The stock TF.js webgpu
 * kernel only compiles shaders up to rank 6 ("GPU for rank 8 is not yet
 * supported"), and the Wan patch embedding and unpatchify transpose rank-8
 * views ([B, C, F', pt, H', ph, W', pw]). This kernel first drops unit axes and
 * merges axes that stay adjacent under the permutation; if the result has
 * rank <= 6 it runs the stock kernel on that view, otherwise one flat-index
 * shader with the shape and permutation compiled in.
 *
 * References: TensorFlow.js `tfjs-backend-webgpu/src/kernels/Transpose.ts`
 * (the stock kernel this one wraps); the gradient of Transpose is a Transpose
 * with the inverse permutation, so the backward pass is covered too.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { WebGPUBackend, WebGPUProgram } from "./_webgpu_types.ts";
import { webgpuUtil } from "./_webgpu_types.ts";

/**
 * The simplest equivalent transpose: unit axes dropped, then input axes that
 * stay consecutive in the output order merged into one.
 */
export function simplifyTranspose(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const kept = shape.map((d, i) => (d !== 1 ? i : -1)).filter((i) => i >= 0); // non-unit input axes
  const compressed = new Map(kept.map((a, j) => [a, j]));
  const order = perm.filter((a) => shape[a] !== 1).map((a) => compressed.get(a)!); // output order
  const groups: number[][] = [];
  for (const a of order) {
    const last = groups.at(-1);
    if (last && a === last.at(-1)! + 1) last.push(a);
    else groups.push([a]);
  }
  const byInput = [...groups].sort((g, h) => g[0] - h[0]);
  const newShape = byInput.map((g) => g.reduce((s, a) => s * shape[kept[a]], 1));
  const newPerm = groups.map((g) => byInput.indexOf(g));
  return { shape: newShape, perm: newPerm };
}

/** One thread per output element; the source index is computed from the compiled-in strides. */
class FlatTransposeProgram implements WebGPUProgram {
  variableNames = ["x"];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  #shape: number[];
  #perm: number[];

  constructor(shape: number[], perm: number[]) {
    this.#shape = shape;
    this.#perm = perm;
    const size = shape.reduce((a, b) => a * b, 1);
    this.outputShape = [size];
    this.dispatchLayout = webgpuUtil.flatDispatchLayout(this.outputShape);
    this.dispatch = webgpuUtil.computeDispatch(this.dispatchLayout, this.outputShape, this.workgroupSize);
    this.shaderKey = `workbench_transpose_${shape.join("x")}_${perm.join(",")}`;
  }

  getUserCode(): string {
    const rank = this.#shape.length;
    const inStrides = tf.util.computeStrides(this.#shape).concat(1); // element strides of the input
    const outShape = this.#perm.map((a) => this.#shape[a]);
    const outStrides = tf.util.computeStrides(outShape).concat(1);
    const lines: string[] = [];
    for (let k = 0; k < rank; k++) {
      lines.push(`let c${k} = rem / ${outStrides[k]}; rem = rem - c${k} * ${outStrides[k]};`);
      lines.push(`src = src + c${k} * ${inStrides[this.#perm[k]]};`);
    }
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          var rem = index;
          var src = 0;
          ${lines.join("\n          ")}
          result[index] = x[src];
        }
      }`;
  }
}

/**
 * @param stock the stock webgpu Transpose kernel
 * @returns the kernel config replacing it
 */
export function transposeKernel(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const perm = (args.attrs as { perm: number[] }).perm;
    const backend = args.backend as unknown as WebGPUBackend;
    const outShape = perm.map((a) => x.shape[a]);
    if (x.shape.length <= 6) return stock(args);
    const simple = simplifyTranspose(x.shape, perm);
    const size = tf.util.sizeFromShape(x.shape);
    let out: TensorInfo;
    if (simple.perm.every((a, i) => a === i)) {
      // A pure relabelling (only unit axes move): share the data.
      backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: outShape, dtype: x.dtype };
    }
    if (simple.shape.length <= 6) {
      const view = { dataId: x.dataId, shape: simple.shape, dtype: x.dtype };
      out = stock({ ...args, inputs: { x: view }, attrs: { perm: simple.perm } }) as TensorInfo;
    } else {
      const flat = { dataId: x.dataId, shape: [size], dtype: x.dtype };
      out = backend.runWebGPUProgram(new FlatTransposeProgram(simple.shape, simple.perm), [flat], x.dtype);
    }
    return { dataId: out.dataId, shape: outShape, dtype: out.dtype };
  };
  return { kernelName: tf.Transpose, backendName: "webgpu", kernelFunc };
}
