/** File I/O (atomic writes, lock files, safetensors, PNG), machine set-up (Debian packages, Jupyter) and the terminal progress bar. */
export { atomicWrite } from "./atomic_write.ts";
export { sha256Hex } from "./sha256_hex.ts";
export type { AtomicWriteOptions } from "./atomic_write.ts";
export { DiskFullError } from "./disk_full_error.ts";
export { LockFile } from "./lock_file.ts";
export type { LockAcquisition, LockFileOptions, LockInfo, LockView } from "./lock_file.ts";
export { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors } from "./safetensors.ts";
export type { LoadedTensor, SafetensorsContent, TensorToWrite, WriteDtype } from "./safetensors.ts";
export { decodePng, encodePng } from "./png.ts";
export type { PngImage } from "./png.ts";
export { debInstalled, ensureDebianPackages } from "./ensure_debian_packages.ts";
export type { EnsureDebianPackagesOptions } from "./ensure_debian_packages.ts";
export { ensureJupyter, JUPYTER_PACKAGES } from "./ensure_jupyter.ts";
export { SetupError } from "./setup_error.ts";
export { ProgressBar } from "./progress_bar.ts";
export type { ProgressBarOptions } from "./progress_bar.ts";
