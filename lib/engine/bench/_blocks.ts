/**
 * The two transformer blocks the engine benchmark times, written with the same
 * tf ops as lib/model (Linear as x·Wᵀ + b on [N, in], heads permuted with
 * transpose, softmax attention, LayerNorm via moments, GELU(tanh) from
 * primitives). `attention_torch.py` builds the identical blocks in PyTorch.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (WanSelfAttention,
 * the FFN Linear → GELU(tanh) → Linear); Vaswani et al. 2017 §3.2.
 */
import * as tf from "@tensorflow/tfjs-core";
import { Prng } from "../../random/mod.ts";
import { fusedAttention } from "../fused_attention.ts";
import { geluTanh as fusedGeluTanh } from "../gelu_tanh.ts";
import { fusedLayerNorm } from "../fused_layer_norm.ts";

/** Sizes of the benchmark blocks. */
export interface BlockSizes {
  batch: number;
  tokens: number;
  dim: number;
  heads: number;
  /** MLP hidden width (default 4·dim). */
  hidden?: number;
}

/** Which implementation of the block's inner ops to use. */
export interface BlockOptions {
  /**
   * Use the engine's fused ops (fusedAttention, geluTanh, fusedLayerNorm) and
   * tf.fused.matMul with bias for Linear, instead of composed tf ops.
   */
  fused?: boolean;
  /** Parameter/input seed. */
  seed?: number;
}

/** The brief's case: batch 8, 144 tokens, dim 128, 4 heads. */
export const DEFAULT_SIZES: BlockSizes = { batch: 8, tokens: 144, dim: 128, heads: 4 };

/** A block ready to run: inputs and parameters live on the current backend. */
export interface Block {
  /** Forward pass: x [B, L, C] → [B, L, C]. */
  forward(x: tf.Tensor, params: tf.Tensor[]): tf.Tensor;
  x: tf.Tensor;
  params: tf.Tensor[];
  /** Fixed upstream gradient: the loss is Σ forward(x)·g. */
  g: tf.Tensor;
  /** Forward + backward (gradients for x and every parameter); returns the gradients. */
  step(): tf.Tensor[];
  dispose(): void;
}

function linear(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, fused = false): tf.Tensor {
  const [out, inDim] = w.shape;
  const lead = x.shape.slice(0, -1);
  const x2 = tf.reshape(x, [-1, inDim]) as tf.Tensor2D; // (N, in)
  const y = fused
    ? tf.fused.matMul({ a: x2, b: w as tf.Tensor2D, transposeB: true, bias: b })
    : tf.add(tf.matMul(x2, w, false, true), b); // (N, out)
  return tf.reshape(y, [...lead, out]); // (..., out)
}

function geluTanh(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(x, tf.square(x)))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

function makeBlock(
  sizes: BlockSizes,
  shapes: number[][],
  forward: (x: tf.Tensor, p: tf.Tensor[]) => tf.Tensor,
  seed: number,
): Block {
  const prng = new Prng(seed);
  const { batch, tokens, dim } = sizes;
  const rand = (shape: number[], scale: number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = prng.normals(n);
    for (let i = 0; i < n; i++) v[i] *= scale;
    return tf.tensor(v, shape);
  };
  const x = rand([batch, tokens, dim], 1);
  const g = rand([batch, tokens, dim], 1);
  const params = shapes.map((s) => rand(s, s.length === 2 ? 1 / Math.sqrt(s[1]) : 0.02));
  const gradFn = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(forward(args[0], args.slice(1)), g)));
  return {
    forward,
    x,
    params,
    g,
    step: () => gradFn([x, ...params]),
    dispose: () => tf.dispose([x, g, ...params]),
  };
}

/**
 * Self-attention: q, k, v and output Linear layers around softmax(q·kᵀ/√d)·v.
 * @param sizes block sizes
 * @param options fused ops or composed, seed
 * @returns the block
 */
export function attentionBlock(sizes: BlockSizes = DEFAULT_SIZES, options: BlockOptions = {}): Block {
  const { dim: c, heads: h } = sizes;
  const d = c / h;
  const shapes = [[c, c], [c], [c, c], [c], [c, c], [c], [c, c], [c]];
  const forward = (x: tf.Tensor, p: tf.Tensor[]) => {
    const [b, l] = x.shape;
    const f = !!options.fused;
    const q = tf.reshape(linear(x, p[0], p[1], f), [b, l, h, d]); // (B, L, H, d)
    const k = tf.reshape(linear(x, p[2], p[3], f), [b, l, h, d]); // (B, L, H, d)
    const v = tf.reshape(linear(x, p[4], p[5], f), [b, l, h, d]); // (B, L, H, d)
    let o: tf.Tensor;
    if (options.fused) {
      o = fusedAttention(q, { k, v }); // (B, L, H, d)
    } else {
      const [qh, kh, vh] = [q, k, v].map((t) => tf.transpose(t, [0, 2, 1, 3])); // (B, H, L, d)
      const probs = tf.softmax(tf.mul(tf.matMul(qh, kh, false, true), 1 / Math.sqrt(d)), -1); // (B, H, L, L)
      o = tf.transpose(tf.matMul(probs, vh), [0, 2, 1, 3]); // (B, L, H, d)
    }
    return linear(tf.reshape(o, [b, l, c]), p[6], p[7], f); // (B, L, C)
  };
  return makeBlock(sizes, shapes, forward, options.seed ?? 0);
}

/**
 * MLP: LayerNorm (no affine, eps 1e-6) → Linear(C, hidden) → GELU(tanh) → Linear(hidden, C).
 * @param sizes block sizes
 * @param options fused ops or composed, seed
 * @returns the block
 */
export function mlpBlock(sizes: BlockSizes = DEFAULT_SIZES, options: BlockOptions = {}): Block {
  const f = !!options.fused;
  const gelu = f ? fusedGeluTanh : geluTanh;
  const c = sizes.dim, hdn = sizes.hidden ?? 4 * sizes.dim;
  const shapes = [[hdn, c], [hdn], [c, hdn], [c]];
  const forward = (x: tf.Tensor, p: tf.Tensor[]) => {
    let xn: tf.Tensor;
    if (f) {
      xn = fusedLayerNorm(x, { eps: 1e-6 });
    } else {
      const { mean, variance } = tf.moments(x, -1, true);
      xn = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-6)));
    }
    return linear(gelu(linear(xn, p[0], p[1], f)), p[2], p[3], f);
  };
  return makeBlock(sizes, shapes, forward, options.seed ?? 1);
}
