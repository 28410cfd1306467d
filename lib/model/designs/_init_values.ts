/**
 * Private: fresh values for a design's new parameters, following Wan's
 * `init_weights` rules (Xavier-uniform Linear weights and patch embeddings
 * flattened to [out, in·pt·ph·pw], zero biases except the Conv3d patch
 * embedding biases' PyTorch default U(±1/√fan_in), modulation N(0, 1)/√dim,
 * norm weights 1), with the zero-initialised pose projection.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanModel.init_weights`);
 * damo-cv/RealisDance `src/models/rd_dit.py` (`add_proj = zero_module(...)`).
 *
 * @module
 */
import type { Prng } from "../../random/mod.ts";

/** @returns the initial values of a new parameter, drawn from `prng` where random. */
export function initValues(name: string, shape: readonly number[], prng: Prng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
  const uniform = (bound: number) => {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = (2 * prng.uniform() - 1) * bound;
    return out;
  };
  if (name.startsWith("pose_proj.")) return new Float32Array(size);
  if (name.endsWith("patch_embedding.bias")) {
    throw new RangeError(`Cannot initialise "${name}" without its weight's fan-in: use initPatchBias`);
  }
  if (name.endsWith("modulation")) {
    const out = prng.normals(size);
    const s = 1 / Math.sqrt(shape[shape.length - 1]);
    for (let i = 0; i < size; i++) out[i] *= s;
    return out;
  }
  if (/norm(_q|_k|3)\.weight$/.test(name)) return new Float32Array(size).fill(1);
  if (name.endsWith(".bias")) return new Float32Array(size);
  if (name.endsWith(".weight")) return uniform(Math.sqrt(6 / (fanIn + shape[0])));
  throw new RangeError(`Cannot initialise parameter "${name}": no rule for it`);
}

/** @returns a Conv3d bias U(±1/√fanIn) (PyTorch's default), fanIn = in·pt·ph·pw of its weight. */
export function initPatchBias(size: number, fanIn: number, prng: Prng): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = (2 * prng.uniform() - 1) * bound;
  return out;
}
