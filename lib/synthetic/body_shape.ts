/**
 * Body proportions of a synthetic character: segment lengths and capsule
 * radii in metres, from a few intuitive parameters (height, chibi-ness, build).
 *
 * Realistic adults are about 7.5 heads tall; "chibi" (super-deformed anime)
 * characters about 2.6 heads with short limbs. `chibi` interpolates between the
 * two; `build` widens every limb (0 slender .. 1 stocky).
 *
 * @module
 */

/** Segment lengths and radii of a character, in metres. */
export interface BodyShape {
  /** Standing height, floor to top of the head. */
  height: number;
  /** 0 realistic proportions .. 1 chibi (big head, short limbs). */
  chibi: number;
  /** 0 slender .. 1 stocky. */
  build: number;
  headRadius: number;
  neckLength: number;
  /** Hip-joint level to the base of the neck. */
  torsoLength: number;
  shoulderHalfWidth: number;
  hipHalfWidth: number;
  upperArm: number;
  forearm: number;
  /** Wrist to the tip of the middle finger. */
  handLength: number;
  palmWidth: number;
  thigh: number;
  shin: number;
  /** Sole to the ankle joint. */
  ankleHeight: number;
  footLength: number;
  neckRadius: number;
  chestRadius: number;
  waistRadius: number;
  hipRadius: number;
  upperArmRadius: number;
  forearmRadius: number;
  fingerRadius: number;
  thighRadius: number;
  shinRadius: number;
  footRadius: number;
}

/** Parameters of `makeBodyShape`. */
export interface BodyShapeParams {
  /** Standing height in metres (0.5 .. 2.5). */
  height: number;
  /** 0 realistic .. 1 chibi. */
  chibi: number;
  /** 0 slender .. 1 stocky. */
  build: number;
  /** Multiplies the leg share of the body (0.85 .. 1.15). */
  legRatio?: number;
}

/**
 * Builds a body shape from height, chibi-ness and build.
 *
 * References: artistic canon of ~7.5 heads for adults; anthropometric
 * segment ratios (Drillis & Contini 1966: upper arm 0.186 H, forearm 0.146 H,
 * hand 0.108 H, thigh 0.245 H, shin 0.246 H incl. foot height).
 *
 * @param params height, chibi and build
 * @returns the segment lengths and radii
 * @example
 * ```ts
 * import { makeBodyShape } from "./body_shape.ts";
 * const s = makeBodyShape({ height: 1.75, chibi: 0, build: 0.5 });
 * console.log(s.headRadius * 2 * 7.5); // ≈ 1.75
 * ```
 */
export function makeBodyShape(params: BodyShapeParams): BodyShape {
  const { height: h, chibi: c, build: b } = params;
  const legRatio = params.legRatio ?? 1;
  if (!(h >= 0.5 && h <= 2.5)) {
    throw new RangeError(`Cannot make a body shape as height must be in [0.5, 2.5] m: received ${h}`);
  }
  for (const [k, v] of [["chibi", c], ["build", b]] as const) {
    if (!(v >= 0 && v <= 1)) {
      throw new RangeError(`Cannot make a body shape as ${k} must be in [0, 1]: received ${v}`);
    }
  }
  if (!(legRatio >= 0.85 && legRatio <= 1.15)) {
    throw new RangeError(`Cannot make a body shape as legRatio must be in [0.85, 1.15]: received ${legRatio}`);
  }
  const mix = (a: number, z: number) => a + (z - a) * c;
  const headsTall = mix(7.5, 2.6);
  const headRadius = h / (2 * headsTall);
  const rest = h - 2 * headRadius;
  const neckLength = rest * mix(0.07, 0.03);
  const leg = rest * mix(0.53, 0.45) * legRatio;
  const torsoLength = rest - neckLength - leg;
  const limb = h * mix(1, 0.62);
  const w = (h / 1.75) * (0.8 + 0.45 * b) * mix(1, 1.35);
  return {
    height: h,
    chibi: c,
    build: b,
    headRadius,
    neckLength,
    torsoLength,
    shoulderHalfWidth: h * mix(0.105, 0.13) * (0.9 + 0.2 * b),
    hipHalfWidth: h * mix(0.052, 0.065) * (0.9 + 0.2 * b),
    upperArm: 0.17 * limb,
    forearm: 0.145 * limb,
    handLength: 0.105 * limb,
    palmWidth: 0.05 * limb * (0.9 + 0.2 * b),
    thigh: leg * 0.48,
    shin: leg * 0.45,
    ankleHeight: leg * 0.07,
    footLength: 0.15 * limb,
    neckRadius: 0.05 * w,
    chestRadius: 0.12 * w,
    waistRadius: 0.105 * w,
    hipRadius: 0.088 * w,
    upperArmRadius: 0.042 * w,
    forearmRadius: 0.034 * w,
    fingerRadius: 0.009 * w,
    thighRadius: 0.065 * w,
    shinRadius: 0.046 * w,
    footRadius: 0.032 * w,
  };
}
