/**
 * Loads the blas backend for {@link initEngine} without making OpenBLAS a
 * hard dependency: a missing library or FFI permission becomes a note.
 */
import type { BlasInfo } from "./blas_backend.ts";

/**
 * Registers the OpenBLAS-backed "blas" backend when it is available.
 * @param threads OpenBLAS threads
 * @param notes receives the reason when unavailable
 * @returns the library in use, or null when the backend cannot be used
 */
export async function registerBlasBackend(threads: number, notes: string[]): Promise<BlasInfo | null> {
  try {
    const { registerBlasBackend: register } = await import("./blas_backend.ts");
    return register({ threads });
  } catch (e) {
    notes.push(`blas: ${(e as Error).message.split("\n")[0]}`);
    return null;
  }
}
