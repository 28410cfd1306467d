/**
 * The VAE's layers as pure tf ops on channel-last activations (B, T, H, W, C),
 * reading PyTorch-layout parameters by state-dict name.
 *
 * Wan runs its VAE chunk by chunk (first frame, then 4 frames at a time) with
 * a feature cache of the last frames of each causal convolution's input. The
 * functions below compute the same result on the whole clip at once:
 * - a causal convolution pads 2·p zero frames in front and none behind, which
 *   is what the cache supplies across chunks;
 * - a temporal downsampling keeps the first frame as it is and applies its
 *   stride-2 time convolution (no padding) to the whole sequence, so output
 *   j ≥ 1 sees frames 2j−2 … 2j;
 * - a temporal upsampling keeps the first frame as it is and turns each later
 *   frame into two, by a causal time convolution over frames 1 … T−1 whose
 *   2C output channels are split as (2, C) and interleaved in time.
 *
 * A causal kernel of kt = 2p + 1 taps runs as a "valid" convolution on the
 * input padded explicitly (2p zero frames in front, the spatial padding on
 * both sides): one PadV2 copy, whose gradient is one Slice, both block copies
 * on the blas backend. (An earlier version ran it as a "same"-padded kernel of
 * 4p + 1 taps whose last 2p were zero, to avoid the stock cpu Pad: 2/5 of
 * every causal convolution's multiply-adds, forward and backward, were zeros.)
 * The per-frame 2D convolutions use TF "same" paddings — 1 on each side for
 * 3×3 at stride 1, and 0 before / 1 after for 3×3 at stride 2 on even sizes,
 * which is Wan's `ZeroPad2d((0, 1, 0, 1))`.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`CausalConv3d`,
 * `RMS_norm`, `Resample.forward`, `ResidualBlock`, `AttentionBlock`,
 * `WanVAE_.encode`/`decode`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { VaeParams } from "./vae_config.ts";
import { fusedRmsNorm } from "../engine/fused_rms_norm.ts";
import { silu } from "../engine/silu.ts";

/** Smallest squared norm in the RMS norm: F.normalize's eps = 1e-12, squared. */
const NORM_EPS_SQ = 1e-24;

/** Padding and stride of a causal 3D convolution (Wan's `padding`, `stride`). */
export interface Conv3dOptions {
  /** (pt, ph, pw): 2·pt zero frames before, none after; ph/pw on both sides. */
  padding?: [number, number, number];
  stride?: [number, number, number];
}

/** The layers of the VAE, bound to one set of parameters. */
export class VaeLayers {
  readonly params: VaeParams;

  /** @param params parameters keyed by state-dict name */
  constructor(params: VaeParams) {
    this.params = params;
  }

  /**
   * Looks up a parameter.
   * @param name state-dict name
   * @returns the variable
   */
  param(name: string): tf.Variable {
    const p = this.params[name];
    if (!p) throw new TypeError(`Cannot run the VAE as parameter "${name}" is missing`);
    return p;
  }

  /**
   * A causal 3D convolution (`CausalConv3d`); a 1×1×1 kernel runs as a matmul,
   * and a single frame as a 2D convolution with the kernel's last temporal tap.
   * @param name module name (`<name>.weight` [out, in, kt, kh, kw], `<name>.bias` [out])
   * @param x input (B, T, H, W, Cin)
   * @param options padding and stride
   * @returns (B, T', H', W', Cout)
   */
  causalConv3d(name: string, x: tf.Tensor5D, options: Conv3dOptions = {}): tf.Tensor5D {
    const { padding = [0, 0, 0], stride = [1, 1, 1] } = options;
    const w = this.param(`${name}.weight`);
    const b = this.param(`${name}.bias`);
    const [cout, cin, kt, kh, kw] = w.shape;
    if (kt === 1 && kh === 1 && kw === 1 && stride.every((s) => s === 1) && padding.every((p) => p === 0)) {
      return pointwise(x, tf.reshape(w, [cout, cin]), b);
    }
    const filter = tf.transpose(w, [2, 3, 4, 1, 0]) as tf.Tensor5D; // (kt, kh, kw, Cin, Cout)
    if (padding.every((p) => p === 0)) return tf.add(tf.conv3d(x, filter, stride, "valid"), b);
    const [pt, ph, pw] = padding;
    if (kt !== 2 * pt + 1 || kh !== 2 * ph + 1 || kw !== 2 * pw + 1 || stride.some((s) => s !== 1)) {
      throw new RangeError(
        `Cannot run causal convolution "${name}" as padding must be half the kernel at stride 1: ` +
          `received kernel ${kt}×${kh}×${kw}, padding ${padding.join(",")}, stride ${stride.join(",")}`,
      );
    }
    const [batch, frames, height, width] = x.shape;
    if (frames === 1 && pt > 0) {
      // A lone frame (an image, an image VAE's training) meets only zeros in the kernel's first kt − 1
      // taps: the same result and gradients from the last tap as a 2D convolution, kt× fewer multiply-adds.
      const last = tf.reshape(tf.slice(filter, [kt - 1, 0, 0, 0, 0], [1, kh, kw, cin, cout]), [kh, kw, cin, cout]) as tf.Tensor4D; // (kh, kw, Cin, Cout)
      const frame = tf.reshape(x, [batch, height, width, cin]) as tf.Tensor4D; // (B, H, W, Cin)
      const y = tf.conv2d(tf.pad(frame, [[0, 0], [ph, ph], [pw, pw], [0, 0]]), last, 1, "valid"); // (B, H, W, Cout)
      return tf.add(tf.reshape(y, [batch, 1, height, width, cout]), b) as tf.Tensor5D; // (B, 1, H, W, Cout)
    }
    const padded = tf.pad(x, [[0, 0], [2 * pt, 0], [ph, ph], [pw, pw], [0, 0]]); // (B, T+2pt, H+2ph, W+2pw, Cin)
    return tf.add(tf.conv3d(padded, filter, 1, "valid"), b);
  }

  /**
   * A 3×3 2D convolution applied to every frame (Wan runs it on `(b t) c h w`)
   * with TF "same" padding: stride 1 pads 1 on each side (Wan's `padding=1`),
   * stride 2 on even sizes pads 1 after only (Wan's `ZeroPad2d((0, 1, 0, 1))`).
   * @param name module name (`<name>.weight` [out, in, 3, 3], `<name>.bias` [out])
   * @param x input (B, T, H, W, Cin), H and W even when the stride is 2
   * @param options stride
   * @returns (B, T, H/stride, W/stride, Cout)
   */
  frameConv2d(name: string, x: tf.Tensor5D, options: { stride: 1 | 2 }): tf.Tensor5D {
    const w = this.param(`${name}.weight`);
    const b = this.param(`${name}.bias`);
    const filter = tf.expandDims(tf.transpose(w, [2, 3, 1, 0]), 0) as tf.Tensor5D; // (1, 3, 3, Cin, Cout)
    return tf.add(tf.conv3d(x, filter, [1, options.stride, options.stride], "same"), b);
  }

  /**
   * RMS norm over channels (`RMS_norm`): x / max(‖x‖₂, 1e-12) · √C · γ.
   * @param name module name (`<name>.gamma`, [C,1,1,1] or [C,1,1])
   * @param x (…, C)
   * @returns same shape
   */
  rmsNorm<T extends tf.Tensor>(name: string, x: T): T {
    const gamma = this.param(`${name}.gamma`);
    const c = x.shape[x.shape.length - 1];
    // x·√C·γ / √(Σx² + ε²) = x·γ / √(mean(x²) + ε²/C): one fused kernel forward
    // and backward on the blas backend. It differs from the max(‖x‖, ε) of the
    // original only when ‖x‖ is within a few ε of 0.
    return fusedRmsNorm(x, { eps: NORM_EPS_SQ / c, weight: tf.reshape(gamma, [c]) }) as T; // weight (C)
  }

  /**
   * `ResidualBlock`: (RMS norm, SiLU, causal conv 3) twice, plus a 1×1×1
   * shortcut when the channel count changes.
   * @param name block name
   * @param x (B, T, H, W, Cin)
   * @returns (B, T, H, W, Cout)
   */
  residualBlock(name: string, x: tf.Tensor5D): tf.Tensor5D {
    const h = this.params[`${name}.shortcut.weight`] ? this.causalConv3d(`${name}.shortcut`, x) : x;
    let r = silu(this.rmsNorm(`${name}.residual.0`, x));
    r = this.causalConv3d(`${name}.residual.2`, r, { padding: [1, 1, 1] });
    r = silu(this.rmsNorm(`${name}.residual.3`, r));
    r = this.causalConv3d(`${name}.residual.6`, r, { padding: [1, 1, 1] });
    return tf.add(r, h);
  }

  /**
   * `AttentionBlock`: single-head self-attention over the pixels of each frame
   * (no mixing across time), output projection, residual.
   * @param name block name
   * @param x (B, T, H, W, C)
   * @returns same shape
   */
  attentionBlock(name: string, x: tf.Tensor5D): tf.Tensor5D {
    const [b, t, h, w, c] = x.shape;
    const n = this.rmsNorm(`${name}.norm`, x);
    const qkvW = tf.reshape(this.param(`${name}.to_qkv.weight`), [3 * c, c]);
    const qkv = tf.reshape(pointwise(n, qkvW, this.param(`${name}.to_qkv.bias`)), [b * t, h * w, 3 * c]); // (B·T, H·W, 3C)
    const [q, k, v] = tf.split(qkv, 3, 2); // each (B·T, H·W, C), q first as in Wan's chunk(3)
    const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(c)); // (B·T, H·W, H·W)
    const o = tf.reshape(tf.matMul(tf.softmax(scores), v), [b, t, h, w, c]); // (B, T, H, W, C)
    const projW = tf.reshape(this.param(`${name}.proj.weight`), [c, c]);
    return tf.add(pointwise(o, projW, this.param(`${name}.proj.bias`)), x);
  }

  /**
   * `Resample` downsample2d/3d: zero-pad right and bottom by one, 3×3 stride-2
   * convolution per frame; for 3d also the stride-2 time convolution, whose
   * output follows the untouched first frame.
   * @param name block name
   * @param x (B, T, H, W, C)
   * @param options whether time is halved too
   * @returns (B, T', H/2, W/2, C) with T' = T or 1 + (T−1)/2
   */
  downsample(name: string, x: tf.Tensor5D, options: { temporal: boolean }): tf.Tensor5D {
    const y = this.frameConv2d(`${name}.resample.1`, x, { stride: 2 });
    if (!options.temporal || y.shape[1] === 1) return y;
    const first = tf.slice(y, [0, 0, 0, 0, 0], [-1, 1, -1, -1, -1]); // (B, 1, H, W, C)
    const rest = this.causalConv3d(`${name}.time_conv`, y, { stride: [2, 1, 1] }); // (B, (T−1)/2, H, W, C)
    return tf.concat([first, rest], 1);
  }

  /**
   * `Resample` upsample2d/3d: for 3d, every frame after the first becomes two
   * (causal time conv to 2C channels, split as (2, C), interleaved); then
   * nearest 2× upsampling and a 3×3 convolution per frame to C/2 channels.
   * @param name block name
   * @param x (B, T, H, W, C)
   * @param options whether time is doubled (after the first frame)
   * @returns (B, T', 2H, 2W, C/2) with T' = T or 1 + 2(T−1)
   */
  upsample(name: string, x: tf.Tensor5D, options: { temporal: boolean }): tf.Tensor5D {
    let y = x;
    const [b, t, h, w, c] = x.shape;
    if (options.temporal && t > 1) {
      const first = tf.slice(x, [0, 0, 0, 0, 0], [-1, 1, -1, -1, -1]); // (B, 1, H, W, C)
      const later = tf.slice(x, [0, 1, 0, 0, 0], [-1, -1, -1, -1, -1]); // (B, T−1, H, W, C)
      const doubled = this.causalConv3d(`${name}.time_conv`, later, { padding: [1, 0, 0] }); // (B, T−1, H, W, 2C)
      const split = tf.reshape(doubled, [b, t - 1, h, w, 2, c]); // (B, T−1, H, W, 2, C)
      const interleaved = tf.reshape(tf.transpose(split, [0, 1, 4, 2, 3, 5]), [b, 2 * (t - 1), h, w, c]); // (B, 2(T−1), H, W, C)
      y = tf.concat([first, interleaved as tf.Tensor5D], 1);
    }
    const t2 = y.shape[1];
    // Nearest 2×: source pixel floor(i/2), as nearest-exact gives for a factor of 2.
    const images = tf.reshape(y, [b * t2, h, w, c]) as tf.Tensor4D; // (B·T, H, W, C)
    const up = tf.reshape(tf.image.resizeNearestNeighbor(images, [2 * h, 2 * w]), [b, t2, 2 * h, 2 * w, c]); // (B, T, 2H, 2W, C)
    return this.frameConv2d(`${name}.resample.1`, up as tf.Tensor5D, { stride: 1 });
  }
}

/** x·Wᵀ + b over the channel axis; w is (Cout, Cin). */
function pointwise<T extends tf.Tensor>(x: T, w: tf.Tensor, b: tf.Tensor): T {
  const shape = x.shape;
  const cin = shape[shape.length - 1];
  const x2 = tf.reshape(x, [-1, cin]); // (B·T·H·W, Cin)
  const y = tf.add(tf.matMul(x2, w, false, true), b); // (B·T·H·W, Cout)
  return tf.reshape(y, [...shape.slice(0, -1), w.shape[0]]) as T; // (B, T, H, W, Cout)
}
