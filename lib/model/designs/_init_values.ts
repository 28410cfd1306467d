/**
 * Private: fresh values for a design's new parameters, following Wan's
 * `init_weights` rules (Xavier-uniform Linear weights and patch embeddings
 * flattened to [out, in·pt·ph·pw], zero biases except the Conv3d patch
 * embedding biases' PyTorch default U(±1/√fan_in), modulation N(0, 1)/√dim,
 * norm weights 1), with the zero-initialised pose projection; LoRA adapters
 * as PEFT draws them (A Kaiming-uniform ±1/√in or N(0, 1/r²), B zero).
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanModel.init_weights`);
 * damo-cv/RealisDance `src/models/rd_dit.py` (`add_proj = zero_module(...)`);
 * huggingface/peft `tuners/lora/layer.py` (`reset_lora_parameters`).
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
  if (/\.lora_[AB]\.weight$/.test(name)) {
    throw new RangeError(`Cannot initialise "${name}" without its LoRA configuration: use initLoraValues`);
  }
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

/**
 * @returns LoRA's A [r, in] (Kaiming-uniform with a = √5, i.e. U(±1/√in), or
 *   Gaussian with std 1/r) or B [out, r] (zeros: the update starts at exactly 0)
 */
export function initLoraValues(
  name: string,
  shape: readonly number[],
  init: "kaiming" | "gaussian",
  prng: Prng,
): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (name.endsWith(".lora_B.weight")) return new Float32Array(size);
  if (!name.endsWith(".lora_A.weight")) throw new RangeError(`Cannot initialise "${name}" as a LoRA adapter: expected …lora_A.weight or …lora_B.weight`);
  const [r, inDim] = shape;
  if (init === "gaussian") {
    const out = prng.normals(size);
    for (let i = 0; i < size; i++) out[i] /= r;
    return out;
  }
  const bound = 1 / Math.sqrt(inDim);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = (2 * prng.uniform() - 1) * bound;
  return out;
}
