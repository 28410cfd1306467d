/**
 * The TF.js WebGPU backend as the workbench runs it:
 * - every GPU dispatch is checked against the binding-size limit before
 *   anything is uploaded or dispatched (naming the kernel, the program and the
 *   tensor);
 * - WebGPU validation errors (a shader that does not compile, an invalid
 *   binding), which the stock backend never looks at and which leave outputs
 *   silently zero, are raised at the next dispatch or read;
 * - synchronous reads of GPU-resident data fail with a clear message (Deno has
 *   no synchronous GPU read-back; the stock code would reach for
 *   OffscreenCanvas);
 * - our own kernels replace stock ones that fail (Transpose above rank 6;
 *   Tile, Reverse, Select and PadV2 above rank 4; AddN past the device's
 *   storage-buffer count; Fill of small constants, kept readable on the CPU),
 *   and matmuls with a transposed B run on an explicitly transposed copy
 *   (2.7× faster on lavapipe).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { DataType, KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { WebGPUBackend, type WebGPUProgram } from "./_webgpu_types.ts";
import { transposeKernel } from "./_transpose_kernel.ts";
import { fillKernel } from "./_fill_kernel.ts";
import { padKernel, reverseKernel, selectKernel, tileKernel } from "./_high_rank_kernels.ts";
import { addNKernel } from "./_add_n_kernel.ts";
import { pretransposedMatMul } from "./_mat_mul_kernels.ts";
import { checkBufferBytes } from "./check_buffer_bytes.ts";

/** Kernels (outermost first) running now, for error messages. */
const running: string[] = [];

type ProgramUniform = Array<{ type: string; data: number[] }>;

/** WebGPUBackend with the binding-size guard and a clear synchronous-read error. */
export class WorkbenchWebGpuBackend extends WebGPUBackend {
  /** Bytes one tensor may take (the device's maxStorageBufferBindingSize, or lower for tests). */
  readonly bindingLimit: number;

  /** Validation errors the device reported since the last check. */
  #errors: string[] = [];

  /**
   * @param device the WebGPU device
   * @param options the adapter's info (TF.js tunes some programs by vendor) and the per-tensor byte limit
   */
  constructor(device: GPUDevice, options: { adapterInfo?: GPUAdapterInfo; bindingLimit: number }) {
    super(device, options.adapterInfo);
    this.bindingLimit = options.bindingLimit;
    device.addEventListener("uncapturederror", (event) => {
      const message = (event as GPUUncapturedErrorEvent).error.message;
      this.#errors.push(message.split("\n").find((line) => line.trim()) ?? message);
      event.preventDefault();
    });
  }

  /** Throws (once) the validation errors reported since the last call. */
  raiseDeviceErrors(): void {
    if (this.#errors.length === 0) return;
    const errors = this.#errors.splice(0);
    throw new Error(
      `WebGPU reported ${errors.length} validation error(s); tensors computed since are invalid: ` +
        errors.slice(0, 3).join(" | "),
    );
  }

  override async read(dataId: object) {
    const values = await super.read(dataId);
    this.raiseDeviceErrors();
    return values;
  }

  override readSync(dataId: object) {
    const data = this.tensorMap.get(dataId);
    if (data && data.values == null && data.dtype !== "string" && data.dtype !== "complex64") {
      throw new Error(
        `Cannot read a [${data.shape}] tensor synchronously on the webgpu backend (dataSync, arraySync, ` +
          `bufferSync, print): Deno has no synchronous GPU read-back; use await tensor.data() or tensor.array()`,
      );
    }
    return super.readSync(dataId);
  }

  override runWebGPUProgram(
    program: WebGPUProgram,
    inputs: TensorInfo[],
    outputDtype: DataType,
    programDefinedUniform?: ProgramUniform,
    output?: TensorInfo,
  ): TensorInfo {
    this.raiseDeviceErrors();
    const kernel = running.length ? running.join(" > ") : "a kernel";
    const name = (program as { constructor: { name: string } }).constructor.name;
    const outShape = output?.shape ?? program.outputShape;
    checkBufferBytes(outShape, { what: `${kernel} (${name}) output`, limit: this.bindingLimit });
    inputs.forEach((t, i) => {
      checkBufferBytes(t.shape, {
        what: `${kernel} (${name}) input ${program.variableNames[i] ?? i}`,
        limit: this.bindingLimit,
      });
    });
    return super.runWebGPUProgram(program, inputs, outputDtype, programDefinedUniform, output);
  }
}

const WRAPPED = Symbol("workbenchWrapped");

/**
 * Replaces the stock Transpose with ours and wraps every "webgpu" kernel so
 * that guard errors can name the kernel (idempotent).
 * @returns the names of the kernels replaced by our own
 */
export function installKernels(): string[] {
  const ours: Array<[string, (stock: KernelFunc) => KernelConfig]> = [
    [tf.Transpose, transposeKernel],
    [tf.Fill, fillKernel],
    [tf.Tile, tileKernel],
    [tf.Reverse, reverseKernel],
    [tf.Select, selectKernel],
    [tf.PadV2, padKernel],
    [tf.AddN, addNKernel],
    [tf.BatchMatMul, (stock) => pretransposedMatMul(stock, { kernelName: tf.BatchMatMul })],
    [tf._FusedMatMul, (stock) => pretransposedMatMul(stock, { kernelName: tf._FusedMatMul })],
  ];
  for (const [name, make] of ours) {
    const stock = tf.getKernel(name, "webgpu");
    if (stock && !(stock.kernelFunc as { [WRAPPED]?: true })[WRAPPED]) {
      reRegister(make(stock.kernelFunc));
    }
  }
  for (const config of tf.getKernelsForBackend("webgpu")) {
    const inner = config.kernelFunc;
    if ((inner as { [WRAPPED]?: true })[WRAPPED]) continue;
    const kernelFunc: KernelFunc = (args) => {
      running.push(config.kernelName);
      try {
        return inner(args);
      } finally {
        running.pop();
      }
    };
    (kernelFunc as { [WRAPPED]?: true })[WRAPPED] = true;
    reRegister({ ...config, kernelFunc });
  }
  return ours.map(([name]) => name);
}

function reRegister(config: KernelConfig): void {
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}
