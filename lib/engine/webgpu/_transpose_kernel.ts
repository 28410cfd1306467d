/**
 * Transpose of any rank for the "webgpu" backend. The stock TF.js webgpu
 * kernel only compiles shaders up to rank 6 ("GPU for rank 8 is not yet
 * supported"), and the Wan patch embedding and unpatchify transpose rank-8
 * views ([B, C, F', pt, H', ph, W', pw]). This kernel first drops unit axes and
 * merges axes that stay adjacent under the permutation; if the result has
 * rank <= 6 it runs the stock kernel on that view, otherwise one flat-index
 * program with the shape and permutation compiled in.
 *
 * References: TensorFlow.js `tfjs-backend-webgpu/src/kernels/Transpose.ts`
 * (the stock kernel this one wraps); the gradient of Transpose is a Transpose
 * with the inverse permutation, so the backward pass is covered too.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import type { WebGPUBackend } from "./_webgpu_types.ts";
import { runFlatIndex } from "./_flat_index_program.ts";
import { simplifyTranspose } from "./_simplify_transpose.ts";

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
    let out: TensorInfo;
    if (simple.perm.every((a, i) => a === i)) {
      // A pure relabelling (only unit axes move): share the data.
      backend.incRef(x.dataId);
      return { dataId: x.dataId, shape: outShape, dtype: x.dtype };
    }
    if (simple.shape.length <= 6) {
      const view = { dataId: x.dataId, shape: simple.shape, dtype: x.dtype }; // the merged axes: a view, no copy
      out = stock({ ...args, inputs: { x: view }, attrs: { perm: simple.perm } }) as TensorInfo;
    } else {
      // Output axis k reads input axis perm[k]: its coordinate times that axis's input stride.
      const inStrides = tf.util.computeStrides(simple.shape).concat(1);
      out = runFlatIndex(backend, { ...x, shape: simple.shape }, {
        outShape: simple.perm.map((a) => simple.shape[a]),
        term: (k, c) => `${c} * ${inStrides[simple.perm[k]]}`,
        key: `transpose_${simple.shape.join("x")}_${simple.perm.join(",")}`,
      });
    }
    return { dataId: out.dataId, shape: outShape, dtype: out.dtype };
  };
  return { kernelName: tf.Transpose, backendName: "webgpu", kernelFunc };
}
