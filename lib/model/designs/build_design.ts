/**
 * Builds a design's parameters from a foundation DiT: the foundation's
 * parameters (cloned, or shared) plus the design's new layers.
 *
 * Initialisation, as RealisDance-DiT does it:
 * - `pose_proj` is zero-initialised, so at step 0 the pose branch adds exactly
 *   nothing to the video tokens;
 * - the reference patch embedding cannot be zero (it must carry the reference
 *   into attention): it is a copy of the foundation's `patch_embedding`, so a
 *   reference latent is embedded exactly as a one-frame video would be;
 * - a full-width reference net is a copy of the foundation's patch embedding
 *   and blocks (reference block j ← `blocks.j`); a narrower one, and every new
 *   layer with `copyFoundation: false`, gets Wan's fresh initialisation;
 * - with a LoRA scope, each adapter's A is drawn and its B is zero, so
 *   W + (α/r)·B·A is W exactly at step 0.
 * Hence at step 0 the design reproduces the foundation exactly when the
 * reference branch is absent (no `cond.reference`), and, with a reference,
 * the concat design equals the foundation run with the reference appended as
 * extra tokens (its output differs from the foundation's through
 * self-attention, as the paper's construction implies: nothing gates it).
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §3; damo-cv/RealisDance
 * `src/models/rd_dit.py` (`add_proj = zero_module(nn.Linear(...))`);
 * Wan-Video/Wan2.1 `wan/modules/model.py` (`init_weights`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { Prng } from "../../random/mod.ts";
import type { ParamMap } from "../_nn.ts";
import type { WanConfig } from "../wan_config.ts";
import type { Params } from "../wan_model.ts";
import { wanParamShapes } from "../wan_param_shapes.ts";
import type { DesignConfig, FinetuneScope } from "./design_config.ts";
import { type LoraConfig, loraOfScope } from "./lora_config.ts";
import { designParamShapes } from "./design_param_shapes.ts";
import { initLoraValues, initPatchBias, initValues } from "./_init_values.ts";
import { referenceNetLayout } from "./_reference_net_config.ts";

/** A configured design with all its parameters. */
export interface DesignModel {
  /** The foundation's configuration (the denoising network). */
  cfg: WanConfig;
  design: DesignConfig;
  /** Every parameter (foundation and new), keyed by state-dict name. */
  params: Params;
  /** Channels C of one VAE latent. */
  latentChannels: number;
  /** The adapters' rank, scale and targets when built for a LoRA scope (the forward pass adds (α/r)·B·A). */
  lora?: LoraConfig;
}

/** Options of {@link buildDesign}. */
export interface BuildDesignOptions {
  /** Draws the fresh initial values. */
  prng: Prng;
  /** Channels C of one VAE latent (default the DiT's in_dim). */
  latentChannels?: number;
  /** Initialise the reference patch embedding and a full-width reference net from the foundation (default true). */
  copyFoundation?: boolean;
  /** Use the foundation's variables themselves instead of clones (default false: the foundation is left untouched). */
  shareFoundation?: boolean;
  /** The fine-tuning scope: a LoRA scope adds its adapters (A drawn, B zero); others add nothing. */
  scope?: FinetuneScope;
}

/**
 * @param foundation the foundation DiT (configuration and parameters)
 * @param design the design
 * @param options PRNG, latent channels, initialisation choices
 * @returns the design model; its new variables (and cloned ones) are owned by the caller
 * @example
 * ```ts
 * import "@tensorflow/tfjs-backend-cpu";
 * import { buildDesign } from "./build_design.ts";
 * import { initWanParams } from "../init_wan_params.ts";
 * import { MODEL_PRESETS } from "../model_presets.ts";
 * import { Prng } from "../../random/mod.ts";
 * const cfg = MODEL_PRESETS["wan-smoke"];
 * const foundation = { cfg, params: initWanParams(cfg, { prng: new Prng(0) }) };
 * const model = buildDesign(foundation, { kind: "concat", shiftedRope: true, frameShift: false, poses: ["skeleton"] }, {
 *   prng: new Prng(1),
 * });
 * console.log(model.params["pose_proj.weight"].shape); // [32, 32]
 * ```
 */
export function buildDesign(
  foundation: { cfg: WanConfig; params: ParamMap },
  design: DesignConfig,
  options: BuildDesignOptions,
): DesignModel {
  const { cfg } = foundation;
  const { prng, copyFoundation = true, shareFoundation = false } = options;
  const latentChannels = options.latentChannels ?? cfg.in_dim;
  const lora = loraOfScope(options.scope);
  const shapes = designParamShapes(cfg, design, { latentChannels, scope: options.scope });
  const base = new Set(wanParamShapes(cfg).map(([n]) => n));
  const layout = referenceNetLayout(cfg, design);
  const canCopy = copyFoundation && (layout === null || !layout.narrow);
  if (canCopy && latentChannels !== cfg.in_dim) {
    throw new RangeError(
      `Cannot copy the foundation's patch embedding into the reference embedding as latentChannels must equal in_dim = ${cfg.in_dim}: received ${latentChannels} (use copyFoundation: false)`,
    );
  }
  const source = (name: string): string | null => {
    if (!canCopy) return null;
    if (name.startsWith("ref_patch_embedding.")) return name.replace("ref_", "");
    if (name.startsWith("reference_net.patch_embedding.") || name.startsWith("reference_net.blocks.")) {
      return name.slice("reference_net.".length);
    }
    return null;
  };
  const params: Params = {};
  try {
    for (const [name, shape] of shapes) {
      const from = base.has(name) ? name : source(name);
      if (from !== null) {
        const p = foundation.params[from];
        if (p === undefined) {
          throw new RangeError(`Cannot build the design as the foundation has no parameter "${from}"`);
        }
        if (!tf.util.arraysEqual(p.shape, shape)) {
          throw new RangeError(
            `Cannot build the design as foundation parameter "${from}" must be [${shape}]: received [${p.shape}]`,
          );
        }
        params[name] = shareFoundation && from === name && p instanceof tf.Variable ? p : toVariable(tf.clone(p));
        continue;
      }
      const data = lora && /\.lora_[AB]\.weight$/.test(name)
        ? initLoraValues(name, shape, lora.init ?? "kaiming", prng)
        : name.endsWith("patch_embedding.bias")
        ? initPatchBias(shape[0], shapesFanIn(shapes, name), prng)
        : initValues(name, shape, prng);
      params[name] = toVariable(tf.tensor(data, shape, "float32"));
    }
  } catch (e) {
    for (const [name, v] of Object.entries(params)) if (!(shareFoundation && base.has(name))) v.dispose();
    throw e;
  }
  return lora ? { cfg, design, params, latentChannels, lora } : { cfg, design, params, latentChannels };
}

/** A trainable variable holding t's values; t is released (the variable keeps the data alive). */
function toVariable(t: tf.Tensor): tf.Variable {
  const v = tf.variable(t, true);
  t.dispose();
  return v;
}

function shapesFanIn(shapes: Array<[string, number[]]>, biasName: string): number {
  const weight = biasName.replace(/bias$/, "weight");
  const found = shapes.find(([n]) => n === weight);
  if (!found) throw new RangeError(`Cannot initialise "${biasName}" as "${weight}" is missing`);
  return found[1].slice(1).reduce((a, b) => a * b, 1);
}
