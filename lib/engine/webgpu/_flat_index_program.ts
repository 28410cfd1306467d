/**
 * A WebGPU program of any rank that copies `x[src(index)]` to `result[index]`
 * (or a fill value outside given bounds), one thread per output element, with
 * the output shape and the source-index arithmetic compiled in. The stock TF.js programs describe coordinates with
 * WGSL vectors and stop at rank 4 (Select, Tile, Reverse, PadV2) or 6
 * (Transpose, Slice); reading both tensors as flat arrays has no such limit.
 *
 * References: TensorFlow.js `tfjs-backend-webgpu/src/webgpu_program.ts`
 * (the program interface, `uniforms.size`, `result`, flat dispatch).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { TensorInfo } from "@tensorflow/tfjs-core";
import { type WebGPUBackend, type WebGPUProgram, webgpuUtil } from "./_webgpu_types.ts";

/** Per output axis k: the output coordinate `c{k}` contributes `term(k)` to the source index. */
export type SourceTerm = (k: number, coord: string) => string;

/** What a {@link runFlatIndex} program computes. */
export interface FlatIndexSpec {
  outShape: number[];
  term: SourceTerm;
  /** Cache key naming everything the terms (and `inside`) depend on. */
  key: string;
  /** Per output axis, a WGSL condition on its coordinate; outside it the output is `fill`. */
  inside?: (k: number, coord: string) => string | null;
  /** The value outside (default 0). */
  fill?: number;
}

class FlatIndexProgram implements WebGPUProgram {
  variableNames = ["x"];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  #spec: FlatIndexSpec;
  #dtype: string;

  constructor(spec: FlatIndexSpec, dtype: string) {
    this.#spec = spec;
    this.#dtype = dtype;
    this.outputShape = [tf.util.sizeFromShape(spec.outShape)];
    this.dispatchLayout = webgpuUtil.flatDispatchLayout(this.outputShape);
    this.dispatch = webgpuUtil.computeDispatch(this.dispatchLayout, this.outputShape, this.workgroupSize);
    this.shaderKey = `workbench_flat_${spec.key}_${spec.outShape.join("x")}_${spec.fill ?? 0}`;
  }

  getUserCode(): string {
    const { outShape, term, inside } = this.#spec;
    const strides = tf.util.computeStrides(outShape).concat(1);
    const lines: string[] = [];
    const conditions: string[] = [];
    for (let k = 0; k < outShape.length; k++) {
      lines.push(`let c${k} = rem / ${strides[k]}; rem = rem - c${k} * ${strides[k]};`);
      lines.push(`src = src + ${term(k, `c${k}`)};`);
      const cond = inside?.(k, `c${k}`);
      if (cond) conditions.push(`(${cond})`);
    }
    const store = conditions.length
      ? `if (${conditions.join(" && ")}) { result[index] = x[src]; } else { result[index] = ${this.#fillLiteral()}; }`
      : "result[index] = x[src];";
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          var rem = index;
          var src = 0;
          ${lines.join("\n          ")}
          ${store}
        }
      }`;
  }

  /** The fill value as an exact WGSL literal of the output's element type. */
  #fillLiteral(): string {
    const v = this.#spec.fill ?? 0;
    if (this.#dtype !== "float32") return `i32(${Math.trunc(v)})`;
    const bits = new Uint32Array(new Float32Array([v]).buffer)[0];
    return `bitcast<f32>(${bits}u)`;
  }
}

/**
 * @param backend the webgpu backend
 * @param x the source tensor (read as a flat array)
 * @param spec output shape, source term per output axis, cache key, optional bounds and fill
 * @returns the output tensor info with `outShape`
 */
export function runFlatIndex(backend: WebGPUBackend, x: TensorInfo, spec: FlatIndexSpec): TensorInfo {
  const flat = { dataId: x.dataId, shape: [tf.util.sizeFromShape(x.shape)], dtype: x.dtype }; // (N): a view, no copy
  const out = backend.runWebGPUProgram(new FlatIndexProgram(spec, x.dtype), [flat], x.dtype);
  return { dataId: out.dataId, shape: spec.outShape, dtype: out.dtype };
}
