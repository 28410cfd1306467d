/**
 * Training checkpoints: model parameters, optimizer moments, EMA weights, the
 * step, the PRNG state and the data position, in ONE safetensors file written
 * atomically, so a kill at any moment leaves the previous checkpoint intact.
 *
 * Layout: tensors `model.<name>`, `optim.m.<name>`, `optim.v.<name>`,
 * `ema.<name>`; `__metadata__` holds `format` = "workbench-checkpoint-v1" and
 * `state` = JSON of {@link CheckpointState}.
 *
 * References: the safetensors format (huggingface/safetensors), read by any
 * Python user with `safetensors.torch.load_file`.
 */
import * as tf from "@tensorflow/tfjs-core";
import { readSafetensors, writeSafetensors } from "../io/safetensors.ts";

/** The non-tensor part of a checkpoint. */
export interface CheckpointState {
  /** Optimizer steps completed. */
  step: number;
  /** PRNG state (`Prng.state()`) after that step. */
  rng: number[];
  /** Samples consumed from the data stream. */
  dataPosition: number;
  /** Anything else the caller wants back (JSON). */
  extra?: Record<string, unknown>;
}

/** What {@link saveCheckpoint} writes and {@link loadCheckpoint} returns. */
export interface Checkpoint {
  params: Record<string, tf.Tensor>;
  optimizer?: { step: number; m: Record<string, tf.Tensor>; v: Record<string, tf.Tensor> };
  ema?: Record<string, tf.Tensor>;
  state: CheckpointState;
}

const FORMAT = "workbench-checkpoint-v1";

/**
 * @param path the .safetensors file to write (atomically)
 * @param ckpt parameters, optimizer and EMA tensors, and state
 * @returns resolves when the file is in place
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import { saveCheckpoint } from "./checkpoint.ts";
 * const dir = await Deno.makeTempDir();
 * await saveCheckpoint(`${dir}/last.safetensors`, {
 *   params: { w: tf.ones([2]) }, state: { step: 1, rng: [1, 2, 3, 4], dataPosition: 8 },
 * });
 * ```
 */
export async function saveCheckpoint(path: string, ckpt: Checkpoint): Promise<void> {
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  const put = async (prefix: string, group: Record<string, tf.Tensor> | undefined) => {
    for (const [name, t] of Object.entries(group ?? {})) {
      tensors[`${prefix}${name}`] = { shape: t.shape, data: (await t.data()) as Float32Array };
    }
  };
  await put("model.", ckpt.params);
  await put("optim.m.", ckpt.optimizer?.m);
  await put("optim.v.", ckpt.optimizer?.v);
  await put("ema.", ckpt.ema);
  const state = { ...ckpt.state, optimizerStep: ckpt.optimizer?.step ?? null };
  await writeSafetensors(path, tensors, { format: FORMAT, state: JSON.stringify(state) });
}

/**
 * @param path a file written by {@link saveCheckpoint}
 * @returns the checkpoint (tensors owned by the caller), or null if the file does not exist
 */
export async function loadCheckpoint(path: string): Promise<Checkpoint | null> {
  try {
    await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  const { tensors, metadata } = await readSafetensors(path);
  if (metadata.format !== FORMAT) {
    throw new TypeError(`Cannot load checkpoint ${path}: format is "${metadata.format}", expected "${FORMAT}"`);
  }
  const state = JSON.parse(metadata.state) as CheckpointState & { optimizerStep: number | null };
  const groups: Record<string, Record<string, tf.Tensor>> = { "model.": {}, "optim.m.": {}, "optim.v.": {}, "ema.": {} };
  for (const [key, t] of Object.entries(tensors)) {
    const prefix = Object.keys(groups).find((p) => key.startsWith(p));
    if (!prefix) throw new TypeError(`Cannot load checkpoint ${path}: unexpected tensor "${key}"`);
    groups[prefix][key.slice(prefix.length)] = tf.tensor(t.data, t.shape, "float32");
  }
  const { optimizerStep, ...rest } = state;
  return {
    params: groups["model."],
    optimizer: optimizerStep === null ? undefined : { step: optimizerStep, m: groups["optim.m."], v: groups["optim.v."] },
    ema: Object.keys(groups["ema."]).length ? groups["ema."] : undefined,
    state: rest,
  };
}

/**
 * Frees every tensor of a loaded checkpoint.
 * @param ckpt the checkpoint
 */
export function disposeCheckpoint(ckpt: Checkpoint): void {
  for (const g of [ckpt.params, ckpt.optimizer?.m, ckpt.optimizer?.v, ckpt.ema]) {
    for (const t of Object.values(g ?? {})) t.dispose();
  }
}
