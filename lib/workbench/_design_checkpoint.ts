/**
 * A fine-tuned design's weights in a run folder: `dit/design.safetensors`
 * (every parameter under its PyTorch state-dict name; metadata `design`) and
 * `dit/design.json` ({ design, scope, cfg }). The animate task writes them; the
 * benchmark task (and anyone sampling a finished fine-tuning) reads them.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { DesignConfig, FinetuneScope } from "../model/designs/mod.ts";
import type { WanConfig } from "../model/mod.ts";
import { readSafetensors, writeSafetensors } from "../io/safetensors.ts";
import { atomicWrite } from "../io/atomic_write.ts";

/** A design checkpoint's contents. */
export interface DesignCheckpoint {
  design: DesignConfig;
  scope: FinetuneScope;
  /** The DiT configuration of the built design. */
  cfg: WanConfig;
  params: Record<string, tf.Tensor>;
}

/**
 * @param dir the folder (a run's `dit/`)
 * @param ckpt design, scope, DiT config and parameters
 * @returns when both files are written
 * @example
 * ```ts ignore
 * await saveDesignCheckpoint(`${ctx.dir}/dit`, { design, scope: preset.scope, cfg: dm.cfg, params: dm.params });
 * ```
 */
export async function saveDesignCheckpoint(dir: string, ckpt: DesignCheckpoint): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [k, v] of Object.entries(ckpt.params)) tensors[k] = { shape: v.shape, data: (await v.data()) as Float32Array };
  await writeSafetensors(`${dir}/design.safetensors`, tensors, { design: JSON.stringify(ckpt.design) });
  await atomicWrite(`${dir}/design.json`, JSON.stringify({ design: ckpt.design, scope: ckpt.scope, cfg: ckpt.cfg }, null, 2));
}

/**
 * @param dir a folder written by {@link saveDesignCheckpoint}
 * @returns the design, scope, DiT config and parameters (tensors; the caller disposes them)
 * @example
 * ```ts ignore
 * const ck = await loadDesignCheckpoint("results/model_design/3-design=part-finetune-seed=0/dit");
 * const model = designModelFn(ck.design, ck);
 * ```
 */
export async function loadDesignCheckpoint(dir: string): Promise<DesignCheckpoint> {
  let meta: { design: DesignConfig; scope: FinetuneScope; cfg: WanConfig };
  try {
    meta = JSON.parse(await Deno.readTextFile(`${dir}/design.json`));
  } catch (e) {
    throw new TypeError(`Cannot load the fine-tuned design in ${dir}: design.json unreadable (${(e as Error).message})`);
  }
  let tensors;
  try {
    tensors = (await readSafetensors(`${dir}/design.safetensors`)).tensors;
  } catch (e) {
    throw new TypeError(`Cannot load the fine-tuned design in ${dir}: design.safetensors unreadable (${(e as Error).message})`);
  }
  const params: Record<string, tf.Tensor> = {};
  for (const [k, t] of Object.entries(tensors)) params[k] = tf.tensor(t.data, t.shape);
  return { design: meta.design, scope: meta.scope, cfg: meta.cfg, params };
}
