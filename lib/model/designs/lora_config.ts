/**
 * LoRA as a fine-tuning scope: low-rank adapters on chosen linear layers of
 * every denoising block, the layer's weight W [out, in] used as
 * W + (α/r)·B·A with A [r, in] and B [out, r]; A is drawn (Kaiming-uniform
 * as PEFT's default, or Gaussian with std 1/r), B starts at zero, so at step
 * 0 the model is the foundation exactly. Adapters are named as PEFT and
 * DiffSynth-Studio save them, `blocks.{i}.{target}.lora_A.weight` and
 * `….lora_B.weight`.
 *
 * References: Hu et al. 2021, "LoRA" §4.1 (W0 + BA, B = 0 at the start,
 * scaling α/r); huggingface/peft `tuners/lora/layer.py` (`reset_lora_parameters`:
 * kaiming_uniform_(a=√5) or normal std 1/r for A, zeros for B; `scaling = α/r`);
 * modelscope/DiffSynth-Studio Wan training (`--lora_rank`, `--lora_alpha`,
 * `--lora_target_modules q,k,v,o,ffn.0,ffn.2`); kohya-ss/musubi-tuner
 * `networks/lora_wan.py` (the same adapters on Wan's attention and FFN).
 *
 * @module
 */
import type { WanConfig } from "../wan_config.ts";
import type { FinetuneScope } from "./design_config.ts";

/** The linear layers of a Wan block an adapter may sit on (names inside `blocks.{i}.`). */
export const LORA_TARGETS = [
  "self_attn.q",
  "self_attn.k",
  "self_attn.v",
  "self_attn.o",
  "cross_attn.q",
  "cross_attn.k",
  "cross_attn.v",
  "cross_attn.o",
  "ffn.0",
  "ffn.2",
] as const;
/** A layer an adapter may sit on. */
export type LoraTarget = typeof LORA_TARGETS[number];

/** The self-attention projections: LoRA's usual choice and this workbench's default. */
export const LORA_SELF_ATTENTION: readonly LoraTarget[] = ["self_attn.q", "self_attn.k", "self_attn.v", "self_attn.o"];

/** Rank, scale and placement of the adapters. */
export interface LoraConfig {
  /** Rank r >= 1 (at most the smaller side of every targeted weight). */
  readonly rank: number;
  /** α > 0: the update is scaled by α/r. */
  readonly alpha: number;
  /** The layers of every denoising block that get an adapter. */
  readonly targets: readonly LoraTarget[];
  /** How A is drawn: "kaiming" (uniform ±1/√in, PEFT's default) or "gaussian" (std 1/r); default "kaiming". */
  readonly init?: "kaiming" | "gaussian";
}

/**
 * @param lora the configuration to check (e.g. parsed from JSON)
 * @param cfg the foundation, to bound the rank by the targeted weights' sides
 * @returns the same configuration
 * @throws {RangeError} naming the field, the value received and what was expected
 * @example
 * ```ts
 * import { checkLoraConfig } from "./lora_config.ts";
 * checkLoraConfig({ rank: 8, alpha: 8, targets: ["self_attn.q", "self_attn.v"] });
 * ```
 */
export function checkLoraConfig(lora: LoraConfig, cfg?: WanConfig): LoraConfig {
  const l = lora as LoraConfig & Record<string, unknown>;
  if (l === null || typeof l !== "object") {
    throw new TypeError(`Cannot use the LoRA scope as it must be an object: received ${JSON.stringify(lora)}`);
  }
  const keys = ["rank", "alpha", "targets", "init"];
  for (const k of Object.keys(l)) {
    if (!keys.includes(k)) throw new RangeError(`Cannot use the LoRA scope as it has no field "${k}": expected ${keys.join(", ")}`);
  }
  if (!Number.isInteger(l.rank) || l.rank < 1) {
    throw new RangeError(`Cannot use the LoRA scope as rank must be an integer >= 1: received ${JSON.stringify(l.rank)}`);
  }
  if (typeof l.alpha !== "number" || !Number.isFinite(l.alpha) || l.alpha <= 0) {
    throw new RangeError(`Cannot use the LoRA scope as alpha must be a finite number > 0: received ${JSON.stringify(l.alpha)}`);
  }
  if (l.init !== undefined && l.init !== "kaiming" && l.init !== "gaussian") {
    throw new RangeError(`Cannot use the LoRA scope as init must be "kaiming" or "gaussian": received ${JSON.stringify(l.init)}`);
  }
  if (!Array.isArray(l.targets) || l.targets.length === 0) {
    throw new RangeError(
      `Cannot use the LoRA scope as targets must be a non-empty list of ${LORA_TARGETS.join(", ")}: received ${JSON.stringify(l.targets)}`,
    );
  }
  const seen = new Set<string>();
  for (const t of l.targets) {
    if (!(LORA_TARGETS as readonly string[]).includes(t)) {
      throw new RangeError(`Cannot use the LoRA scope as targets must hold names from ${LORA_TARGETS.join(", ")}: received ${JSON.stringify(t)}`);
    }
    if (seen.has(t)) throw new RangeError(`Cannot use the LoRA scope as targets lists "${t}" twice`);
    seen.add(t);
  }
  if (cfg) {
    for (const t of l.targets) {
      const [out, inDim] = loraTargetShape(cfg, t);
      if (l.rank > Math.min(out, inDim)) {
        throw new RangeError(
          `Cannot use the LoRA scope as rank must be <= ${Math.min(out, inDim)} (the smaller side of ${t}'s [${out}, ${inDim}] weight): received ${l.rank}`,
        );
      }
    }
  }
  return lora;
}

/**
 * @param cfg the foundation
 * @param target a layer of a block
 * @returns its weight's [out, in]
 */
export function loraTargetShape(cfg: WanConfig, target: LoraTarget): [number, number] {
  if (target === "ffn.0") return [cfg.ffn_dim, cfg.dim];
  if (target === "ffn.2") return [cfg.dim, cfg.ffn_dim];
  return [cfg.dim, cfg.dim];
}

/**
 * @param scope a fine-tuning scope
 * @returns its LoRA configuration, or undefined for any other scope
 */
export function loraOfScope(scope: FinetuneScope | undefined): LoraConfig | undefined {
  return scope !== null && typeof scope === "object" && "lora" in scope ? scope.lora : undefined;
}

/**
 * @param cfg the foundation
 * @param lora rank and targets
 * @returns the adapters' [name, shape] pairs, block by block, A before B
 */
export function loraParamShapes(cfg: WanConfig, lora: LoraConfig): Array<[string, number[]]> {
  checkLoraConfig(lora, cfg);
  const out: Array<[string, number[]]> = [];
  for (let i = 0; i < cfg.num_layers; i++) {
    for (const t of lora.targets) {
      const [o, inDim] = loraTargetShape(cfg, t);
      out.push([`blocks.${i}.${t}.lora_A.weight`, [lora.rank, inDim]], [`blocks.${i}.${t}.lora_B.weight`, [o, lora.rank]]);
    }
  }
  return out;
}
