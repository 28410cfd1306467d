/**
 * A fine-tuned design's weights in a run folder: `dit/design.safetensors`
 * (every parameter under its PyTorch state-dict name; metadata `design`) and
 * `dit/design.json` ({ design, scope, cfg }). The animate task writes them; the
 * benchmark task (and anyone sampling a finished fine-tuning) reads them.
 *
 * A LoRA fine-tuning is saved twice: `design.safetensors` holds its adapters
 * merged into the weights they sit on (W + (α/r)·B·A: the foundation's names
 * and shapes plus the condition layers, so it loads wherever a full or part
 * fine-tuning does), and `dit/lora.safetensors` holds what trained alone, the
 * adapters (`blocks.{i}.{target}.lora_A.weight` / `lora_B.weight`, PEFT's
 * names) and the condition layers, with metadata `lora` (rank, α, targets)
 * and `design`: with the foundation it rebuilds the unmerged model.
 *
 * References: Hu et al. 2021, "LoRA" §4.1; huggingface/peft
 * `get_peft_model_state_dict` (adapter-only state dict).
 */
import * as tf from "@tensorflow/tfjs-core";
import { type DesignConfig, type FinetuneScope, type LoraConfig, mergeLora, resolveTrainable } from "../model/designs/mod.ts";
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
  /** Set when `params` hold LoRA adapters: they are merged into design.safetensors and also saved alone. */
  lora?: LoraConfig;
}

/**
 * @param dir the folder (a run's `dit/`)
 * @param ckpt design, scope, DiT config, parameters and, with adapters among them, their LoRA configuration
 * @returns when the files are written (design.safetensors merged, lora.safetensors for a LoRA)
 * @example
 * ```ts ignore
 * await saveDesignCheckpoint(`${ctx.dir}/dit`, { design, scope: preset.scope, cfg: dm.cfg, params: dm.params, lora: dm.lora });
 * ```
 */
export async function saveDesignCheckpoint(dir: string, ckpt: DesignCheckpoint): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const { lora } = ckpt;
  const host = async (params: Record<string, tf.Tensor>) => {
    const out: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [k, v] of Object.entries(params)) out[k] = { shape: v.shape, data: (await v.data()) as Float32Array };
    return out;
  };
  if (lora) {
    const trained = resolveTrainable(ckpt.design, Object.keys(ckpt.params), { lora });
    await writeSafetensors(`${dir}/lora.safetensors`, await host(Object.fromEntries(trained.map((n) => [n, ckpt.params[n]]))), {
      design: JSON.stringify(ckpt.design),
      lora: JSON.stringify(lora),
    });
  }
  const merged = lora ? mergeLora(ckpt.params, lora) : ckpt.params;
  let tensors;
  try {
    tensors = await host(merged);
  } finally {
    if (lora) for (const [k, v] of Object.entries(merged)) if (v !== ckpt.params[k]) v.dispose();
  }
  await writeSafetensors(`${dir}/design.safetensors`, tensors, { design: JSON.stringify(ckpt.design) });
  await atomicWrite(`${dir}/design.json`, JSON.stringify({ design: ckpt.design, scope: ckpt.scope, cfg: ckpt.cfg }, null, 2));
}

/**
 * @param dir a folder written by {@link saveDesignCheckpoint}
 * @returns the design, scope, DiT config and parameters (tensors; the caller disposes them); a LoRA's merged
 *   weights (no adapters, no `lora`: it runs as any fine-tuned design does)
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
