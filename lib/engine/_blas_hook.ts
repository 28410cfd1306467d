/**
 * Registers the OpenBLAS-backed "blas" backend when it is available.
 * (Placeholder until the engine issue lands: reports it as unavailable.)
 * @param _threads thread count
 * @param notes receives the reason when unavailable
 * @returns whether the backend was registered
 */
export function registerBlasBackend(_threads: number, notes: string[]): Promise<boolean> {
  notes.push("blas: not built yet");
  return Promise.resolve(false);
}
