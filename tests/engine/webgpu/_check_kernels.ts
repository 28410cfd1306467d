/**
 * Run with `deno run --unstable-webgpu -A tests/engine/webgpu/_check_kernels.ts`:
 * the workbench's own webgpu kernels against the cpu backend at the ranks the
 * stock ones fail (forward and gradient), hand-computed values, and the
 * guards (binding limit, device validation errors, synchronous reads),
 * printed as one JSON line.
 */
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../../lib/engine/mod.ts";
import { registerWebGpuBackend } from "../../../lib/engine/webgpu/mod.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { emit, maxRelErr, normal } from "./_check_util.ts";

type Fn = (x: tf.Tensor) => tf.Tensor;
/** A fixed boolean mask of x's shape (every third element true). */
const mask = (x: tf.Tensor) =>
  tf.tensor(Uint8Array.from({ length: x.size }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0), x.shape, "bool");
/** A fixed seeded tensor (a constant of the function, not differentiated). */
const weight = (shape: number[]) => normal(new Prng(shape.length * 1000 + shape.at(-1)!), shape);

/** `grad: false`: TF.js has no gradient for it (Tile, and so broadcastTo, above rank 4, on every backend). */
const CASES: Record<string, { shape: number[]; f: Fn; grad?: false }> = {
  "transpose rank 8 (patch embedding, pt = 2: flat program)": {
    shape: [2, 3, 2, 2, 2, 2, 3, 2],
    f: (x) => tf.transpose(x, [0, 2, 4, 6, 1, 3, 5, 7]),
  },
  "transpose rank 8 (patch embedding, pt = 1: stock rank 6)": {
    shape: [2, 3, 2, 1, 2, 2, 3, 2],
    f: (x) => tf.transpose(x, [0, 2, 4, 6, 1, 3, 5, 7]),
  },
  "transpose rank 8 (unpatchify)": {
    shape: [2, 2, 3, 2, 1, 2, 2, 3],
    f: (x) => tf.transpose(x, [0, 7, 1, 4, 2, 5, 3, 6]),
  },
  "transpose rank 7 merged to rank 4": {
    shape: [2, 3, 1, 4, 5, 1, 2],
    f: (x) => tf.transpose(x, [0, 3, 4, 1, 2, 5, 6]),
  },
  "tile rank 5": { shape: [2, 1, 3, 2, 2], f: (x) => tf.tile(tf.add(x, 0), [1, 3, 1, 2, 1]), grad: false },
  "broadcastTo rank 6": {
    shape: [2, 1, 3, 1, 2, 2],
    f: (x) => tf.broadcastTo(tf.add(x, 0), [2, 2, 3, 2, 2, 2]),
    grad: false,
  },
  "reverse rank 5": { shape: [2, 3, 2, 4, 3], f: (x) => tf.reverse(x, [1, 3]) },
  "where rank 5": { shape: [2, 3, 4, 5, 6], f: (x) => tf.where(mask(x), x, tf.mul(x, -2)) },
  "clipByValue rank 5": { shape: [2, 3, 4, 5, 6], f: (x) => tf.clipByValue(x, -0.5, 0.7) },
  "where rank 6, broadcast condition": {
    shape: [4, 2, 3, 2, 2, 3],
    f: (x) => tf.where(tf.tensor([true, false, true, false], [4, 1, 1, 1, 1, 1], "bool"), x, tf.mul(x, 3)),
  },
  "pad rank 5": { shape: [2, 3, 4, 2, 3], f: (x) => tf.pad(x, [[0, 0], [2, 1], [0, 1], [1, 1], [0, 0]], 0.5) },
  "pad rank 6": { shape: [2, 3, 2, 2, 3, 2], f: (x) => tf.pad(x, [[1, 0], [0, 0], [0, 2], [0, 0], [1, 1], [0, 0]]) },
  "slice rank 5 (gradient is pad)": {
    shape: [2, 5, 3, 4, 2],
    f: (x) => tf.slice(x, [0, 1, 0, 1, 0], [-1, 3, -1, 2, -1]),
  },
  "concat rank 5": {
    shape: [1, 5, 4, 4, 8],
    f: (x) => tf.concat([tf.slice(x, [0, 0, 0, 0, 0], [-1, 1, -1, -1, -1]), x], 1),
  },
  "addN of 70 tensors (more than the storage-buffer bindings)": {
    shape: [40, 50],
    f: (x) => tf.addN(Array.from({ length: 70 }, (_, i) => tf.mul(x, i + 1))),
  },
  "matMul x·Wᵀ (W pre-transposed)": {
    shape: [64, 96],
    f: (x) => tf.matMul(x, weight([80, 96]), false, true),
  },
  "fused matMul x·Wᵀ + bias, batched": {
    shape: [3, 40, 96],
    f: (x) =>
      tf.fused.matMul({
        a: x as tf.Tensor3D,
        b: weight([1, 80, 96]) as tf.Tensor3D,
        transposeB: true,
        bias: weight([80]),
      }),
  },
  "resizeNearestNeighbor 2x, batch 6": {
    shape: [6, 3, 4, 5],
    f: (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [6, 8]),
  },
};

async function run(backend: "cpu" | "webgpu") {
  await initEngine({ backend });
  const out: Record<string, { y: Float32Array; dx: Float32Array }> = {};
  for (const [name, { shape, f, grad }] of Object.entries(CASES)) {
    const prng = new Prng(name.length);
    const x = normal(prng, shape);
    const y = f(x);
    const dy = normal(prng, y.shape);
    const dx = grad === false ? tf.zeros([1]) : tf.grad(f)(x, dy);
    out[name] = { y: (await y.data()) as Float32Array, dx: (await dx.data()) as Float32Array };
    tf.dispose([x, y, dy, dx]);
  }
  return out;
}

const cpu = await run("cpu");
const gpu = await run("webgpu");
const kernels: Record<string, { forward: number; gradient: number }> = {};
for (const name of Object.keys(CASES)) {
  // The cpu backend's ResizeNearestNeighborGrad is wrong for batch > 1 (see _cpu_resize_grad_fix.ts): forward only.
  const gradient = name.startsWith("resize") ? 0 : maxRelErr(gpu[name].dx, cpu[name].dx);
  kernels[name] = { forward: maxRelErr(gpu[name].y, cpu[name].y), gradient };
}

// Hand-computed: nearest 2× of two 2×2 images; dy = 1..32 as [2, 4, 4, 1]; each input pixel sums its 2×2 block.
const nnGrad = tf.grad((x: tf.Tensor) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [4, 4]))(
  tf.zeros([2, 2, 2, 1]),
  tf.reshape(tf.range(1, 33), [2, 4, 4, 1]),
);
const resizeGrad = Array.from(await nnGrad.data());

// Hand-computed: the Select kernel with a vector condition picks whole rows (tf.where itself always
// broadcasts the condition; TF.js's cpu Select gets this case wrong, so no cpu comparison).
const rows = tf.add(tf.reshape(tf.range(0, 8), [4, 1, 1, 1, 1, 2]), 0);
const selected = tf.engine().runKernel("Select", {
  condition: tf.tensor1d([true, false, true, false], "bool"),
  t: rows,
  e: tf.neg(rows),
}) as tf.Tensor;
const selectRows = Array.from(await selected.data());

// Small fills stay readable synchronously; large ones are GPU programs.
const small = tf.fill([3], 250);
const smallFill = Array.from(small.dataSync());
const big = tf.fill([2000], 1.5);
let syncReadError = "";
try {
  tf.add(big, 1).dataSync();
} catch (e) {
  syncReadError = (e as Error).message;
}
const bigSum = (await tf.sum(big).data())[0];

// A device validation error (a shader that does not compile) is raised, not left as zeros.
let deviceError = "";
const backend = tf.backend() as unknown as {
  runWebGPUProgram(p: unknown, inputs: tf.TensorInfo[], dtype: string): tf.TensorInfo;
};
try {
  const bad = {
    variableNames: ["x"],
    outputShape: [4],
    shaderKey: "workbench_broken_on_purpose",
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    workgroupSize: [64, 1, 1],
    getUserCode: () => "fn main(index : i32) { result[index] = this_is_not_wgsl; }",
  };
  const x = tf.add(tf.ones([4]), 0);
  const info = backend.runWebGPUProgram(bad, [x], "float32");
  const t = tf.engine().makeTensorFromTensorInfo(info);
  await t.data();
  await tf.add(x, 1).data();
} catch (e) {
  deviceError = (e as Error).message;
}

// The binding-size guard, with the limit lowered to 1 MiB: a 2 MiB matmul output and input.
await registerWebGpuBackend({ allowSoftware: true, bindingLimit: 2 ** 20 });
const guard: Record<string, string> = {};
const a = tf.add(tf.ones([1024, 128]), 0), b = tf.add(tf.ones([128, 512]), 0);
try {
  tf.matMul(a, b);
} catch (e) {
  guard.output = (e as Error).message;
}
try {
  tf.sum(tf.ones([1024, 1024])); // a 4 MiB input (CPU values, uploaded by Sum), a one-number output
} catch (e) {
  guard.input = (e as Error).message;
}
const fits = (await tf.sum(tf.matMul(a, tf.add(tf.ones([128, 64]), 0))).data())[0];

emit({ kernels, resizeGrad, selectRows, smallFill, syncReadError, bigSum, deviceError, guard, fits });
