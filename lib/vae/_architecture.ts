/**
 * The module layout of the VAE as data: which blocks, in which order, under
 * which PyTorch names and with which channel counts. Parameter shapes,
 * initialisation and the forward pass all walk this one plan, so names stay
 * consistent with Wan's state dict.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/vae.py` (`Encoder3d.__init__`,
 * `Decoder3d.__init__`, `WanVAE_.__init__`).
 *
 * @module
 */
import type { VaeConfig } from "./vae_config.ts";
import { vaeCompression } from "./vae_compression.ts";

/** One block of an encoder/decoder stage, named by its state-dict prefix. */
export type Block =
  | { kind: "res"; name: string; inDim: number; outDim: number }
  | { kind: "attn"; name: string; dim: number }
  | { kind: "down"; name: string; dim: number; temporal: boolean }
  | { kind: "up"; name: string; dim: number; temporal: boolean };

/** A causal convolution with kernel k (cubic) from `inDim` to `outDim`. */
export interface ConvSpec {
  name: string;
  inDim: number;
  outDim: number;
  kernel: 1 | 3;
}

/** Encoder or decoder: conv in, blocks, RMS norm + SiLU + conv out. */
export interface CoderPlan {
  convIn: ConvSpec;
  blocks: Block[];
  /** The head: `<prefix>.head.0` (RMS norm) and `<prefix>.head.2` (conv). */
  headNorm: { name: string; dim: number };
  headConv: ConvSpec;
}

/** The whole VAE: encoder, the 1×1×1 convs around the latent, decoder. */
export interface VaePlan {
  encoder: CoderPlan;
  /** `conv1`: 2·zDim → 2·zDim after the encoder (mean and log-variance). */
  quant: ConvSpec;
  /** `conv2`: zDim → zDim before the decoder. */
  postQuant: ConvSpec;
  decoder: CoderPlan;
}

/**
 * Builds the module plan of a VAE.
 * @param config the VAE size (validated)
 * @returns encoder/decoder block lists with names and channel counts
 */
export function vaePlan(config: VaeConfig): VaePlan {
  vaeCompression(config);
  const { dim, dimMult, numResBlocks, zDim, temporalDownsample } = config;
  const levels = dimMult.length;

  // Encoder3d: dims = [dim·u for u in [1] + dim_mult]
  const encDims = [1, ...dimMult].map((u) => dim * u);
  const encBlocks: Block[] = [];
  let idx = 0;
  let outDim = encDims[0];
  for (let i = 0; i < levels; i++) {
    let inDim = encDims[i];
    outDim = encDims[i + 1];
    for (let r = 0; r < numResBlocks; r++) {
      encBlocks.push({ kind: "res", name: `encoder.downsamples.${idx++}`, inDim, outDim });
      inDim = outDim;
    }
    if (i !== levels - 1) {
      encBlocks.push({ kind: "down", name: `encoder.downsamples.${idx++}`, dim: outDim, temporal: temporalDownsample[i] });
    }
  }
  encBlocks.push(...middle("encoder", outDim));
  const encoder: CoderPlan = {
    convIn: { name: "encoder.conv1", inDim: 3, outDim: encDims[0], kernel: 3 },
    blocks: encBlocks,
    headNorm: { name: "encoder.head.0", dim: outDim },
    headConv: { name: "encoder.head.2", inDim: outDim, outDim: 2 * zDim, kernel: 3 },
  };

  // Decoder3d: dims = [dim·u for u in [dim_mult[-1]] + dim_mult[::-1]];
  // every stage after the first starts from the halved channels of the previous upsampling.
  const decDims = [dimMult[levels - 1], ...[...dimMult].reverse()].map((u) => dim * u);
  const temporalUpsample = [...temporalDownsample].reverse();
  const decBlocks: Block[] = [...middle("decoder", decDims[0])];
  idx = 0;
  outDim = decDims[0];
  for (let i = 0; i < levels; i++) {
    let inDim = i === 0 ? decDims[0] : decDims[i] / 2;
    outDim = decDims[i + 1];
    for (let r = 0; r < numResBlocks + 1; r++) {
      decBlocks.push({ kind: "res", name: `decoder.upsamples.${idx++}`, inDim, outDim });
      inDim = outDim;
    }
    if (i !== levels - 1) {
      decBlocks.push({ kind: "up", name: `decoder.upsamples.${idx++}`, dim: outDim, temporal: temporalUpsample[i] });
    }
  }
  const decoder: CoderPlan = {
    convIn: { name: "decoder.conv1", inDim: zDim, outDim: decDims[0], kernel: 3 },
    blocks: decBlocks,
    headNorm: { name: "decoder.head.0", dim: outDim },
    headConv: { name: "decoder.head.2", inDim: outDim, outDim: 3, kernel: 3 },
  };

  return {
    encoder,
    quant: { name: "conv1", inDim: 2 * zDim, outDim: 2 * zDim, kernel: 1 },
    postQuant: { name: "conv2", inDim: zDim, outDim: zDim, kernel: 1 },
    decoder,
  };
}

function middle(prefix: string, d: number): Block[] {
  return [
    { kind: "res", name: `${prefix}.middle.0`, inDim: d, outDim: d },
    { kind: "attn", name: `${prefix}.middle.1`, dim: d },
    { kind: "res", name: `${prefix}.middle.2`, inDim: d, outDim: d },
  ];
}

/** How a parameter starts: PyTorch's default for its layer, or Wan's override. */
export type ParamInit = { kind: "ones" } | { kind: "zeros" } | { kind: "uniform"; bound: number };

/** A parameter's name, PyTorch shape and initialisation. */
export interface ParamSpec {
  name: string;
  shape: number[];
  init: ParamInit;
}

/**
 * Lists every parameter of a VAE in state-dict order.
 *
 * Weights and biases of convolutions follow PyTorch's default initialisation,
 * U(−1/√fan_in, 1/√fan_in) (kaiming_uniform with a = √5 for the weight);
 * RMS-norm gammas start at one; the attention output projection weight starts
 * at zero (Wan `AttentionBlock.__init__`).
 * @param config the VAE size
 * @returns the parameter specs
 */
export function paramSpecs(config: VaeConfig): ParamSpec[] {
  const plan = vaePlan(config);
  const out: ParamSpec[] = [];
  const conv = (name: string, inDim: number, outDim: number, kernel: number[]) => {
    const fanIn = inDim * kernel.reduce((a, b) => a * b, 1);
    const bound = 1 / Math.sqrt(fanIn);
    out.push({ name: `${name}.weight`, shape: [outDim, inDim, ...kernel], init: { kind: "uniform", bound } });
    out.push({ name: `${name}.bias`, shape: [outDim], init: { kind: "uniform", bound } });
  };
  const gamma = (name: string, d: number, images: boolean) =>
    out.push({ name: `${name}.gamma`, shape: images ? [d, 1, 1] : [d, 1, 1, 1], init: { kind: "ones" } });
  const coder = (p: CoderPlan) => {
    conv(p.convIn.name, p.convIn.inDim, p.convIn.outDim, [3, 3, 3]);
    for (const b of p.blocks) {
      if (b.kind === "res") {
        gamma(`${b.name}.residual.0`, b.inDim, false);
        conv(`${b.name}.residual.2`, b.inDim, b.outDim, [3, 3, 3]);
        gamma(`${b.name}.residual.3`, b.outDim, false);
        conv(`${b.name}.residual.6`, b.outDim, b.outDim, [3, 3, 3]);
        if (b.inDim !== b.outDim) conv(`${b.name}.shortcut`, b.inDim, b.outDim, [1, 1, 1]);
      } else if (b.kind === "attn") {
        gamma(`${b.name}.norm`, b.dim, true);
        conv(`${b.name}.to_qkv`, b.dim, 3 * b.dim, [1, 1]);
        conv(`${b.name}.proj`, b.dim, b.dim, [1, 1]);
        out[out.length - 2].init = { kind: "zeros" };
      } else if (b.kind === "down") {
        conv(`${b.name}.resample.1`, b.dim, b.dim, [3, 3]);
        if (b.temporal) conv(`${b.name}.time_conv`, b.dim, b.dim, [3, 1, 1]);
      } else {
        conv(`${b.name}.resample.1`, b.dim, b.dim / 2, [3, 3]);
        if (b.temporal) conv(`${b.name}.time_conv`, b.dim, 2 * b.dim, [3, 1, 1]);
      }
    }
    gamma(p.headNorm.name, p.headNorm.dim, false);
    conv(p.headConv.name, p.headConv.inDim, p.headConv.outDim, [3, 3, 3]);
  };
  coder(plan.encoder);
  conv(plan.quant.name, plan.quant.inDim, plan.quant.outDim, [1, 1, 1]);
  conv(plan.postQuant.name, plan.postQuant.inDim, plan.postQuant.outDim, [1, 1, 1]);
  coder(plan.decoder);
  return out;
}
