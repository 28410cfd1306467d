/**
 * The matrix-multiply arithmetic of one Wan DiT step, counted from the
 * configuration and the shapes alone, so that a measured step time becomes
 * achieved GFLOP/s comparable with OpenBLAS's sgemm peak (and the same count
 * serves ours and PyTorch's step: they compute the same products).
 *
 * Counted: every Linear and patch embedding (2·rows·in·out), and attention's
 * two products q·kᵀ and p·v (2·B·Lq·Lk·dim each, summed over heads).
 * Not counted: norms, softmax, RoPE, activations, the optimizer (element-wise).
 * The backward pass is counted as reverse-mode autodiff runs it (PyTorch and
 * TF.js alike): a product y = a·b costs one more product of its size for ∂a
 * when a depends on a trainable parameter, and one for ∂b likewise. So a
 * part fine-tune pays nothing for the frozen text and time sides and no
 * weight gradients for frozen layers.
 *
 * References: Kaplan et al. 2020 §2.1 (forward 2N, backward 4N FLOPs per
 * token); Wan-Video/Wan2.1 `wan/modules/model.py` (the products of WanModel).
 *
 * @module
 */
import type { WanConfig } from "../../lib/model/wan_config.ts";

/** The shapes of one step. */
export interface StepFlopsShapes {
  /** Batch B. */
  batch: number;
  /** Latent channels C of the video (the DiT's in_dim). */
  channels: number;
  /** Video patch tokens L (F'·H'·W'). */
  tokens: number;
  /** Reference tokens appended along the sequence (the concat design); default 0. */
  referenceTokens?: number;
  /** Channels k·C of the channel-concatenated pose latents; default 0 (no pose branch). */
  poseChannels?: number;
}

/** Forward and backward matrix-multiply FLOPs of one step. */
export interface StepFlops {
  /** The forward pass (the sampling step). */
  forward: number;
  /** The backward pass of a training step with the given trainable parameters. */
  backward: number;
  /** forward + backward: the training step. */
  train: number;
}

type Node = { grad: boolean };

/**
 * @param cfg the DiT configuration
 * @param shapes batch, tokens, the concat design's extra inputs
 * @param trainable whether the parameter of this name trains (e.g. `(n) => set.has(n)`)
 * @returns the step's forward and backward FLOPs
 * @example
 * ```ts
 * import { stepFlops } from "./_step_flops.ts";
 * import { MODEL_PRESETS } from "../../lib/model/model_presets.ts";
 * const f = stepFlops(MODEL_PRESETS["wan-smoke"], { batch: 1, channels: 4, tokens: 8 }, () => true);
 * console.log(f.train > 2 * f.forward); // true
 * ```
 */
export function stepFlops(cfg: WanConfig, shapes: StepFlopsShapes, trainable: (name: string) => boolean): StepFlops {
  const { batch: b, channels: c, tokens: l } = shapes;
  const le = shapes.referenceTokens ?? 0;
  const kc = shapes.poseChannels ?? 0;
  for (
    const [k, v, min] of [["batch", b, 1], ["channels", c, 1], ["tokens", l, 1], ["referenceTokens", le, 0], [
      "poseChannels",
      kc,
      0,
    ]] as const
  ) {
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(`Cannot count FLOPs as ${k} must be an integer >= ${min}: received ${v}`);
    }
  }
  let forward = 0, backward = 0;
  const input: Node = { grad: false };
  const weight = (name: string): Node => ({ grad: trainable(name) });
  const join = (...n: Node[]): Node => ({ grad: n.some((x) => x.grad) });
  /** y = a·b with `flops` forward FLOPs. */
  const mm = (a: Node, w: Node, flops: number): Node => {
    forward += flops;
    if (a.grad) backward += flops;
    if (w.grad) backward += flops;
    return join(a, w);
  };
  const { dim, ffn_dim: ffn, freq_dim: freq, text_dim: textDim, text_len: lt } = cfg;
  const p = cfg.patch_size.reduce((x, y) => x * y, 1);
  const lin = (a: Node, name: string, rows: number, i: number, o: number) =>
    mm(a, weight(`${name}.weight`), 2 * rows * i * o);

  // Embeddings: video patches, + pose tokens, ++ reference tokens; time; text.
  let h = lin(input, "patch_embedding", b * l, c * p, dim);
  if (kc > 0) {
    const pose = lin(input, "pose_patch_embedding", b * l, kc * p, dim);
    h = join(h, lin(pose, "pose_proj", b * l, dim, dim));
  }
  if (le > 0) h = join(h, lin(input, "ref_patch_embedding", b * le, c * p, dim));
  const lh = l + le; // tokens through the blocks
  const e = lin(lin(input, "time_embedding.0", b, freq, dim), "time_embedding.2", b, dim, dim);
  const e0 = lin(e, "time_projection.1", b, dim, 6 * dim);
  const ctx = lin(lin(input, "text_embedding.0", b * lt, textDim, dim), "text_embedding.2", b * lt, dim, dim);

  for (let i = 0; i < cfg.num_layers; i++) {
    const at = (n: string) => `blocks.${i}.${n}`;
    const m = join(e0, weight(at("modulation")));
    // Self-attention over all lh tokens.
    const x = join(h, m);
    const q = join(lin(x, at("self_attn.q"), b * lh, dim, dim), weight(at("self_attn.norm_q.weight")));
    const k = join(lin(x, at("self_attn.k"), b * lh, dim, dim), weight(at("self_attn.norm_k.weight")));
    const v = lin(x, at("self_attn.v"), b * lh, dim, dim);
    const s = mm(q, k, 2 * b * lh * lh * dim); // q·kᵀ
    h = join(h, lin(mm(s, v, 2 * b * lh * lh * dim), at("self_attn.o"), b * lh, dim, dim), m);
    // Cross-attention to the text.
    const x3 = join(h, weight(at("norm3.weight")));
    const cq = join(lin(x3, at("cross_attn.q"), b * lh, dim, dim), weight(at("cross_attn.norm_q.weight")));
    const ck = join(lin(ctx, at("cross_attn.k"), b * lt, dim, dim), weight(at("cross_attn.norm_k.weight")));
    const cv = lin(ctx, at("cross_attn.v"), b * lt, dim, dim);
    const cs = mm(cq, ck, 2 * b * lh * lt * dim);
    h = join(h, lin(mm(cs, cv, 2 * b * lh * lt * dim), at("cross_attn.o"), b * lh, dim, dim));
    // FFN.
    const f1 = lin(join(h, m), at("ffn.0"), b * lh, dim, ffn);
    h = join(h, lin(f1, at("ffn.2"), b * lh, ffn, dim), m);
  }
  // The head sees the video tokens only.
  lin(join(h, e, weight("head.modulation")), "head.head", b * l, dim, p * cfg.out_dim);
  return { forward, backward, train: forward + backward };
}
