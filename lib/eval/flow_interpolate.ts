/**
 * Classical frame interpolation by flow warping: the stand-in for AMT in
 * `motion_smoothness-classical`.
 *
 * References: the symmetric half-flow warping used by flow-based
 * interpolators (e.g. Baker et al., "A Database and Evaluation Methodology
 * for Optical Flow", IJCV 2011, §4 frame interpolation), simplified: the
 * flow at the midpoint is approximated by the flow at the same pixel.
 */
import type { FlowFn, Frame } from "./frame.ts";
import { lucasKanadeFlow, type LucasKanadeOptions } from "./lucas_kanade_flow.ts";
import { sampleBilinear } from "./_image_ops.ts";

/** Options of {@link flowInterpolate}. */
export interface FlowInterpolateOptions {
  /** Flow estimator a → b (default: lucasKanadeFlow with `lucasKanade` options). */
  flow?: FlowFn;
  lucasKanade?: LucasKanadeOptions;
}

/**
 * The frame halfway between a and b: with F the flow a → b,
 * mid(x) = ½·a(x − ½F(x)) + ½·b(x + ½F(x)) (bilinear, borders clamped),
 * per channel.
 *
 * @param a first frame in [0, 1]
 * @param b second frame, same size and channels
 * @param options the flow estimator
 * @returns the interpolated frame
 * @example
 * ```ts
 * import { flowInterpolate } from "./flow_interpolate.ts";
 * const still = { data: new Float32Array(16 * 16).fill(0.5), height: 16, width: 16, channels: 1 };
 * console.log((await flowInterpolate(still, still)).data[0]); // 0.5
 * ```
 */
export async function flowInterpolate(a: Frame, b: Frame, options: FlowInterpolateOptions = {}): Promise<Frame> {
  if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels) {
    throw new RangeError(
      `Cannot interpolate frames of different shapes: ${a.height}×${a.width}×${a.channels} and ${b.height}×${b.width}×${b.channels}`,
    );
  }
  const flow = await (options.flow ?? ((x: Frame, y: Frame) => lucasKanadeFlow(x, y, options.lucasKanade)))(a, b);
  const { height: h, width: w, channels: c } = a;
  const planeA = new Float32Array(h * w);
  const planeB = new Float32Array(h * w);
  const out = new Float32Array(h * w * c);
  for (let ch = 0; ch < c; ch++) {
    for (let p = 0; p < h * w; p++) {
      planeA[p] = a.data[p * c + ch];
      planeB[p] = b.data[p * c + ch];
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const p = y * w + x;
        const hu = 0.5 * flow.u[p];
        const hv = 0.5 * flow.v[p];
        out[p * c + ch] = 0.5 * sampleBilinear(planeA, h, w, x - hu, y - hv) +
          0.5 * sampleBilinear(planeB, h, w, x + hu, y + hv);
      }
    }
  }
  return { data: out, height: h, width: w, channels: c };
}
