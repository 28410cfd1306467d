/** File I/O: atomic writes, lock files and safetensors. */
export { atomicWrite } from "./atomic_write.ts";
export type { AtomicWriteOptions } from "./atomic_write.ts";
export { DiskFullError } from "./disk_full_error.ts";
export { LockFile } from "./lock_file.ts";
export type { LockAcquisition, LockFileOptions, LockInfo, LockView } from "./lock_file.ts";
export { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors } from "./safetensors.ts";
export type { LoadedTensor, SafetensorsContent, TensorToWrite, WriteDtype } from "./safetensors.ts";
export { decodePng, encodePng } from "./png.ts";
export type { PngImage } from "./png.ts";
