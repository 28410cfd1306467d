/** File I/O: atomic writes and safetensors. */
export { atomicWrite } from "./atomic_write.ts";
