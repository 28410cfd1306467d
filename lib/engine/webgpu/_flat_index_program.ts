/**
 * A WebGPU program of any rank that copies `x[src(index)]` to `result[index]`,
 * one thread per output element, with the output shape and the source-index
 * arithmetic compiled in. The stock TF.js programs describe coordinates with
 * WGSL vectors and stop at rank 4 (Select, Tile, Reverse) or 6 (Transpose,
 * Slice); reading both tensors as flat arrays has no such limit.
 *
 * References: TensorFlow.js `tfjs-backend-webgpu/src/webgpu_program.ts`
 * (the program interface, `uniforms.size`, `result`, flat dispatch).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { TensorInfo } from "@tensorflow/tfjs-core";
import { type WebGPUBackend, type WebGPUProgram, webgpuUtil } from "./_webgpu_types.ts";

/** Per output axis k: the output coordinate `c{k}` contributes `term(k)` to the source index. */
export type SourceTerm = (k: number, coord: string) => string;

class FlatIndexProgram implements WebGPUProgram {
  variableNames = ["x"];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  #outShape: number[];
  #term: SourceTerm;

  constructor(outShape: number[], term: SourceTerm, key: string) {
    this.#outShape = outShape;
    this.#term = term;
    this.outputShape = [tf.util.sizeFromShape(outShape)];
    this.dispatchLayout = webgpuUtil.flatDispatchLayout(this.outputShape);
    this.dispatch = webgpuUtil.computeDispatch(this.dispatchLayout, this.outputShape, this.workgroupSize);
    this.shaderKey = `workbench_flat_${key}_${outShape.join("x")}`;
  }

  getUserCode(): string {
    const strides = tf.util.computeStrides(this.#outShape).concat(1);
    const lines: string[] = [];
    for (let k = 0; k < this.#outShape.length; k++) {
      lines.push(`let c${k} = rem / ${strides[k]}; rem = rem - c${k} * ${strides[k]};`);
      lines.push(`src = src + ${this.#term(k, `c${k}`)};`);
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
 * @param backend the webgpu backend
 * @param x the source tensor (read as a flat array)
 * @param spec output shape, the source term per output axis, and a cache key naming everything the terms depend on
 * @returns the output tensor info with `outShape`
 */
export function runFlatIndex(
  backend: WebGPUBackend,
  x: TensorInfo,
  spec: { outShape: number[]; term: SourceTerm; key: string },
): TensorInfo {
  const flat = { dataId: x.dataId, shape: [tf.util.sizeFromShape(x.shape)], dtype: x.dtype };
  const out = backend.runWebGPUProgram(new FlatIndexProgram(spec.outShape, spec.term, spec.key), [flat], x.dtype);
  return { dataId: out.dataId, shape: spec.outShape, dtype: out.dtype };
}
