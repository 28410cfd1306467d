/** File I/O: atomic writes and safetensors. */
export { atomicWrite } from "./atomic_write.ts";
export { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors } from "./safetensors.ts";
export type { LoadedTensor, SafetensorsContent, TensorToWrite, WriteDtype } from "./safetensors.ts";
export { decodePng, encodePng } from "./png.ts";
export type { PngImage } from "./png.ts";
