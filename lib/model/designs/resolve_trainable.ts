/**
 * Resolves a fine-tuning scope into the exact list of trainable parameter
 * names; everything else is frozen (the training loop asks no gradient for
 * it and keeps no optimizer state).
 *
 * - `full`: every parameter the design uses;
 * - `part`: the design's new layers (condition patch embeddings, the zero
 *   projection, and a reference net) plus the self-attention of every
 *   denoising block (`blocks.{i}.self_attn.{q,k,v,o,norm_q,norm_k}`);
 * - `{ lora }`: the design's new layers plus the LoRA adapters
 *   (`blocks.{i}.{target}.lora_A.weight`, `….lora_B.weight`), which must be
 *   there (build the design with the scope); every foundation weight is frozen;
 * - `{ trainable }`: names or patterns; a glob's `*` stays inside one
 *   dot-separated segment, `**` crosses segments, `?` is one character; a
 *   pattern written `/…/` is a regular expression. Each pattern must match.
 * Parameters the design never uses (a reference net's last block's attention
 * and FFN: only its normalised input is injected) are never trainable.
 *
 * References: RealisDance-DiT (arXiv 2504.14977), ablation of fine-tuning
 * scope ("part": new condition layers and self-attention); Moore-AnimateAnyone
 * `train_stage_1.py` (unused reference-UNet parameters frozen); Hu et al.
 * 2021, "LoRA" §4 (only A and B train).
 *
 * @module
 */
import { checkDesignConfig, type DesignConfig, type FinetuneScope } from "./design_config.ts";
import { checkLoraConfig } from "./lora_config.ts";

const NEW = /^(ref_patch_embedding|pose_patch_embedding|pose_proj|reference_net)\./;
const SELF_ATTN = /^blocks\.\d+\.self_attn\.(q|k|v|o|norm_q|norm_k)\./;
const ADAPTER = /^blocks\.\d+\.(.+)\.lora_[AB]\.weight$/;

/**
 * @param design the design the names belong to
 * @param paramNames every parameter name (e.g. `Object.keys(model.params)`)
 * @param scope what trains
 * @returns the trainable names, in `paramNames` order
 * @example
 * ```ts
 * import { resolveTrainable } from "./resolve_trainable.ts";
 * const design = { kind: "concat", shiftedRope: true, frameShift: false, poses: [] } as const;
 * const names = ["patch_embedding.weight", "blocks.0.self_attn.q.weight", "blocks.0.ffn.0.weight", "ref_patch_embedding.weight"];
 * console.log(resolveTrainable(design, names, "part")); // ["blocks.0.self_attn.q.weight", "ref_patch_embedding.weight"]
 * ```
 */
export function resolveTrainable(
  design: DesignConfig,
  paramNames: readonly string[],
  scope: FinetuneScope,
): string[] {
  checkDesignConfig(design);
  const unused = unusedParams(design, paramNames);
  const names = paramNames.filter((n) => !unused.has(n));
  let out: string[];
  if (scope === "full") out = names;
  else if (scope === "part") out = names.filter((n) => NEW.test(n) || SELF_ATTN.test(n));
  else if (scope !== null && typeof scope === "object" && "lora" in scope) {
    const lora = checkLoraConfig(scope.lora);
    const adapters = names.filter((n) => ADAPTER.test(n));
    for (const t of lora.targets) {
      if (!adapters.some((n) => ADAPTER.exec(n)![1] === t)) {
        throw new RangeError(
          `Cannot resolve the LoRA scope as the parameters hold no adapter on ${t} (e.g. "blocks.0.${t}.lora_A.weight"): build the design with this scope`,
        );
      }
    }
    const stray = adapters.find((n) => !(lora.targets as readonly string[]).includes(ADAPTER.exec(n)![1]));
    if (stray) throw new RangeError(`Cannot resolve the LoRA scope as "${stray}" is not on one of its targets (${lora.targets.join(", ")})`);
    out = names.filter((n) => NEW.test(n) || ADAPTER.test(n));
  } else if (scope !== null && typeof scope === "object" && Array.isArray(scope.trainable)) {
    const matchers = scope.trainable.map((p) => [p, patternToRegExp(p)] as const);
    for (const [p, re] of matchers) {
      if (!names.some((n) => re.test(n))) {
        throw new RangeError(`Cannot resolve the trainable pattern "${p}" as it matches no used parameter`);
      }
    }
    out = names.filter((n) => matchers.some(([, re]) => re.test(n)));
  } else {
    throw new RangeError(
      `Cannot resolve the fine-tuning scope as it must be "full", "part", { lora } or { trainable: string[] }: received ${
        JSON.stringify(scope)
      }`,
    );
  }
  if (out.length === 0) {
    throw new RangeError(`Cannot resolve the fine-tuning scope ${JSON.stringify(scope)}: nothing trains`);
  }
  return out;
}

/** The names of parameters present but never used by the design's forward pass. */
function unusedParams(design: DesignConfig, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  if (design.kind === "concat") return out;
  let last = -1;
  for (const n of names) {
    const m = /^reference_net\.blocks\.(\d+)\./.exec(n);
    if (m) last = Math.max(last, Number(m[1]));
  }
  if (last < 0) return out;
  const tail = new RegExp(`^reference_net\\.blocks\\.${last}\\.(self_attn|cross_attn|norm3|ffn)\\.`);
  for (const n of names) {
    if (tail.test(n)) out.add(n);
    // With one narrow reference block, its context projection feeds only the unused cross-attention.
    if (last === 0 && n.startsWith("reference_net.text_proj.")) out.add(n);
  }
  return out;
}

function patternToRegExp(pattern: string): RegExp {
  if (typeof pattern !== "string" || pattern.length === 0) {
    throw new TypeError(
      `Cannot use a trainable pattern as it must be a non-empty string: received ${JSON.stringify(pattern)}`,
    );
  }
  const re = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (re) {
    try {
      return new RegExp(re[1], re[2].replace(/[gy]/g, "")); // stateless: no global/sticky lastIndex
    } catch (e) {
      throw new RangeError(
        `Cannot use the trainable pattern ${pattern} as a regular expression: ${(e as Error).message}`,
      );
    }
  }
  let src = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*" && pattern[i + 1] === "*") {
      src += ".*";
      i++;
    } else if (ch === "*") src += "[^.]*";
    else if (ch === "?") src += "[^.]";
    else src += ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${src}$`);
}
