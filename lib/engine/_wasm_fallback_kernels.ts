/**
 * The kernels TF.js's wasm backend lacks but the cpu backend has
 * (Conv2DBackpropFilter, the depthwise-convolution gradients, Einsum,
 * UnsortedSegmentSum…), registered for wasm as the cpu backend's own JS
 * kernels run on copies: the inputs are read out of the wasm heap, the cpu
 * kernel runs, and its outputs are written back. Training on wasm then never
 * stops halfway on `Kernel '…' not registered for backend 'wasm'`; only these
 * kernels pay for the copies. complex64 tensors (the FFT family) have no wasm
 * storage and are refused with a message naming the kernel.
 *
 * References: tfjs-core `registerKernel`/`getKernelsForBackend`;
 * tfjs-backend-wasm `BackendWasm.readSync`/`write`.
 */
import * as tf from "@tensorflow/tfjs-core";

const WASM = "wasm";
const CPU = "cpu";

/**
 * Registers for wasm every kernel that cpu has and wasm has not (once per
 * kernel: later calls add only kernels registered for cpu since).
 *
 * @returns the kernel names registered now, sorted
 * @example
 * ```ts ignore
 * import { registerWasmFallbackKernels } from "./_wasm_fallback_kernels.ts";
 * await tf.setBackend("wasm");
 * registerWasmFallbackKernels(); // ["Conv2DBackpropFilter", …]
 * ```
 */
export function registerWasmFallbackKernels(): string[] {
  const onWasm = new Set(tf.getKernelsForBackend(WASM).map((k) => k.kernelName));
  const added: string[] = [];
  for (const kernel of tf.getKernelsForBackend(CPU)) {
    if (onWasm.has(kernel.kernelName)) continue;
    tf.registerKernel({ kernelName: kernel.kernelName, backendName: WASM, kernelFunc: throughCpu(kernel) });
    added.push(kernel.kernelName);
  }
  return added.sort();
}

/** `kernel` (a cpu kernel) as a wasm kernel that runs it on copies of its tensors. */
function throughCpu(kernel: tf.KernelConfig): tf.KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const wasm = backend as tf.KernelBackend;
    const cpu = cpuBackend();
    const held: tf.DataId[] = [];
    try {
      const cpuInputs: tf.NamedTensorInfoMap = {};
      for (const [name, t] of Object.entries(inputs)) {
        if (t == null) continue; // optional inputs (e.g. a fused op's bias)
        refuseComplex(kernel.kernelName, `input "${name}"`, t.dtype);
        const dataId = cpu.write(wasm.readSync(t.dataId) as tf.backend_util.BackendValues, t.shape, t.dtype);
        held.push(dataId);
        cpuInputs[name] = { dataId, shape: t.shape, dtype: t.dtype };
      }
      const out = kernel.kernelFunc({ inputs: cpuInputs, attrs, backend: cpu });
      const outs = Array.isArray(out) ? out : [out];
      // Held before any check, so that a refused output is freed too.
      for (const o of outs) held.push(o.dataId);
      const copies = outs.map((o): tf.TensorInfo => {
        refuseComplex(kernel.kernelName, "output", o.dtype);
        const values = cpu.readSync(o.dataId) as tf.backend_util.BackendValues;
        return { dataId: wasm.write(values, o.shape, o.dtype), shape: o.shape, dtype: o.dtype };
      });
      return Array.isArray(out) ? copies : copies[0];
    } finally {
      // An output that forwards an input holds one more reference, so each entry releases one.
      for (const id of held) cpu.disposeData(id);
    }
  };
}

function refuseComplex(kernelName: string, what: string, dtype: tf.DataType): void {
  if (dtype === "complex64") {
    throw new TypeError(
      `Cannot run kernel '${kernelName}' on the wasm backend as its ${what} is complex64, which wasm cannot store: use --backend cpu or blas`,
    );
  }
}

let cpu: tf.KernelBackend | null = null;

function cpuBackend(): tf.KernelBackend {
  if (cpu) return cpu;
  const b = tf.engine().findBackend(CPU);
  if (!b) throw new Error("Cannot run a fallback kernel on wasm as the cpu backend is not registered");
  // The cpu backend prints a "use tfjs-node" hint on its first write under Node-like runtimes.
  (b as unknown as { firstUse: boolean }).firstUse = false;
  return (cpu = b);
}
