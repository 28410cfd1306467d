/**
 * The WebGPU binding-size check: a shader can read or write a storage buffer
 * only up to the device's `maxStorageBufferBindingSize` (128 MiB on lavapipe
 * and on many GPUs unless raised), and TF.js binds each tensor as one buffer,
 * so that limit bounds every single tensor a GPU kernel touches. Past it the
 * dispatch fails validation and the output is silently garbage; this check
 * raises a clear error instead.
 *
 * References: W3C WebGPU §3.6 `maxStorageBufferBindingSize`, §22.3
 * (GPUBindGroup validation: binding size <= the limit); TF.js webgpu backend
 * (one whole-buffer binding per tensor, 4 bytes per float32/int32/bool).
 *
 * @example
 * ```ts
 * import { checkBufferBytes } from "./check_buffer_bytes.ts";
 * console.log(checkBufferBytes([1024, 1024], { what: "MatMul output", limit: 128 * 2 ** 20 })); // 4194304
 * ```
 */

/** Options of {@link checkBufferBytes}. */
export interface CheckBufferBytesOptions {
  /** What the tensor is, for the message (e.g. `BatchMatMul output` or `attention scores`). */
  what: string;
  /** The limit in bytes (the device's maxStorageBufferBindingSize). */
  limit: number;
  /** Bytes per element (default 4: float32, int32 and bool all take 4 on webgpu). */
  bytesPerElement?: number;
}

const MIB = 2 ** 20;

/**
 * @param shape the tensor's shape
 * @param options what it is and the limit
 * @returns its size in bytes
 * @throws RangeError naming the tensor, its shape and both sizes when it exceeds the limit
 */
export function checkBufferBytes(shape: readonly number[], options: CheckBufferBytesOptions): number {
  const { what, limit } = options;
  if (!(limit > 0)) {
    throw new RangeError(`Cannot check ${what} as the limit must be > 0 bytes: received ${limit}`);
  }
  const bytes = shape.reduce((a, b) => a * b, 1) * (options.bytesPerElement ?? 4);
  if (bytes > limit) {
    throw new RangeError(
      `Cannot run ${what} [${shape}] on webgpu as it needs ${bytes} bytes (${(bytes / MIB).toFixed(1)} MiB), ` +
        `more than the device's maxStorageBufferBindingSize of ${limit} bytes (${(limit / MIB).toFixed(1)} MiB): ` +
        `use a smaller batch, resolution or sequence, or the cpu/blas backend`,
    );
  }
  return bytes;
}
