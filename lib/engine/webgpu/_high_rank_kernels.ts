/**
 * Tile, Reverse, Select (tf.where) and PadV2 for the "webgpu" backend at
 * ranks the stock TF.js programs do not handle: Tile at rank >= 5 falls back
 * to a synchronous CPU read (impossible for GPU data in Deno), Reverse at
 * rank > 4 pads the shape to 4-D with a negative index (wrong results), Select
 * at rank > 4 throws ("Where for rank 5 is not yet supported"; tf.clipByValue's
 * gradient on the VAE's 5-D log-variance needs it), and PadV2 at rank 5–6
 * emits WGSL that does not compile (vector ops on its vec5/vec6 structs), so
 * its output stayed zero: the gradient of every rank-5 tf.slice (the VAE's
 * first-frame splits) was lost. Lower ranks keep the stock kernels.
 *
 * References: TensorFlow.js `tfjs-backend-webgpu/src/kernels/{Tile,Reverse,Select,PadV2}.ts`
 * and their semantics in `tfjs-core/src/ops/{tile,reverse,where,pad}.ts`.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { WebGPUBackend } from "./_webgpu_types.ts";
import { runFlatIndex } from "./_flat_index_program.ts";

/** Tile: output coordinate c on axis k reads input coordinate c mod shape[k]. */
export function tileKernel(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const reps = (args.attrs as { reps: number[] }).reps;
    const backend = args.backend as unknown as WebGPUBackend;
    if (x.shape.length < 5 || x.dtype === "string" || backend.shouldExecuteOnCPU([x])) return stock(args);
    const strides = tf.util.computeStrides(x.shape).concat(1);
    return runFlatIndex(backend, x, {
      outShape: x.shape.map((d, k) => d * reps[k]),
      term: (k, c) => `(${c} % ${x.shape[k]}) * ${strides[k]}`,
      key: `tile_${x.shape.join("x")}`,
    });
  };
  return { kernelName: tf.Tile, backendName: "webgpu", kernelFunc };
}

/** Reverse: on a reversed axis, output coordinate c reads shape[k] − 1 − c. */
export function reverseKernel(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.shape.length <= 4) return stock(args);
    const axes = tf.util.parseAxisParam((args.attrs as { dims: number | number[] }).dims, x.shape);
    const strides = tf.util.computeStrides(x.shape).concat(1);
    return runFlatIndex(args.backend as unknown as WebGPUBackend, x, {
      outShape: [...x.shape],
      term: (k, c) => axes.includes(k) ? `(${x.shape[k] - 1} - ${c}) * ${strides[k]}` : `${c} * ${strides[k]}`,
      key: `reverse_${x.shape.join("x")}_${axes.join(",")}`,
    });
  };
  return { kernelName: tf.Reverse, backendName: "webgpu", kernelFunc };
}

/**
 * Select: the condition has t's shape or is a vector over t's first axis, so
 * a 1-D (or [n0, rest]) view of all three is the same selection.
 */
export function selectKernel(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { condition, t, e } = args.inputs as { condition: TensorInfo; t: TensorInfo; e: TensorInfo };
    if (t.shape.length <= 4) return stock(args);
    const size = tf.util.sizeFromShape(t.shape);
    const view = (x: TensorInfo, shape: number[]) => ({ dataId: x.dataId, shape, dtype: x.dtype });
    const same = condition.shape.length === t.shape.length;
    const abShape = same ? [size] : [t.shape[0], size / t.shape[0]]; // (N) or (n0, N / n0)
    const cShape = same ? [size] : [t.shape[0]]; // (N) or (n0)
    const out = stock({
      ...args,
      inputs: { condition: view(condition, cShape), t: view(t, abShape), e: view(e, abShape) },
    }) as TensorInfo;
    return { dataId: out.dataId, shape: [...t.shape], dtype: out.dtype };
  };
  return { kernelName: tf.Select, backendName: "webgpu", kernelFunc };
}

/** PadV2: output coordinate c on axis k reads c − before[k] when inside [before, before + shape). */
export function padKernel(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs.x as TensorInfo;
    const { paddings, constantValue } = args.attrs as unknown as {
      paddings: [number, number][];
      constantValue: number;
    };
    if (x.shape.length <= 4 || tf.util.sizeFromShape(x.shape) === 0) return stock(args);
    const strides = tf.util.computeStrides(x.shape).concat(1);
    return runFlatIndex(args.backend as unknown as WebGPUBackend, x, {
      outShape: x.shape.map((d, k) => paddings[k][0] + d + paddings[k][1]),
      term: (k, c) => `(${c} - ${paddings[k][0]}) * ${strides[k]}`,
      inside: (k, c) =>
        paddings[k][0] === 0 && paddings[k][1] === 0
          ? null
          : `${c} >= ${paddings[k][0]} && ${c} < ${paddings[k][0] + x.shape[k]}`,
      fill: constantValue,
      key: `pad_${x.shape.join("x")}_${paddings.flat().join(",")}`,
    });
  };
  return { kernelName: tf.PadV2, backendName: "webgpu", kernelFunc };
}
