/**
 * Draws a whole clip spec from a seed: which categories it has (by per-set
 * rates, or forced), then style, characters, motions, objects, scene, light
 * and camera. Deterministic: the same (seed, options) gives the same spec.
 *
 * @module
 */

import { Prng } from "../random/mod.ts";
import { makeBodyShape } from "./body_shape.ts";
import { sampleCharacter } from "./character.ts";
import { CATEGORIES, type Category, type ClipSpec, type PersonSpec, type Style } from "./clip_spec.ts";
import { MOTION_KINDS, type MotionFamily, type MotionKind, sampleMotion } from "./motion.ts";
import { HELD_OBJECTS, type HeldObjectSpec, sampleBall } from "./objects.ts";
import type { ColorName } from "./palette.ts";
import { type CameraSpec, type LightSpec, sampleBackground, sampleLight } from "./scene.ts";
import { GENERATOR_VERSION } from "./version.ts";

/** Probability of each category in a sampled clip. */
export type CategoryRates = Readonly<Record<Category, number>>;

/** Seconds from the first to the last frame of every clip (frames are spread evenly). */
export const CLIP_DURATION = 2;

/** Default rates: each category in about a quarter of the clips. */
export const DEFAULT_RATES: CategoryRates = {
  interaction: 0.25,
  lighting: 0.25,
  "rare-pose": 0.25,
  stylized: 0.25,
  "multi-character": 0.25,
  "camera-motion": 0.25,
};

/** Options of `sampleClipSpec`. */
export interface SampleClipSpecOptions {
  /** Category probabilities (default `DEFAULT_RATES`). */
  rates?: CategoryRates;
  /** Categories the clip must have. */
  require?: readonly Category[];
}

/**
 * Draws a clip spec.
 *
 * @param seed the clip seed (integer)
 * @param options category rates and required categories
 * @returns the spec (plain JSON)
 * @example
 * ```ts
 * import { sampleClipSpec } from "./sample_clip_spec.ts";
 * const a = sampleClipSpec(11), b = sampleClipSpec(11);
 * console.log(JSON.stringify(a) === JSON.stringify(b)); // true
 * ```
 */
export function sampleClipSpec(seed: number, options: SampleClipSpecOptions = {}): ClipSpec {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`Cannot sample a clip spec as seed must be a non-negative integer: received ${seed}`);
  }
  const rates = options.rates ?? DEFAULT_RATES;
  for (const c of options.require ?? []) {
    if (!CATEGORIES.includes(c)) {
      throw new RangeError(`Cannot require category ${JSON.stringify(c)}: expected one of ${CATEGORIES.join(", ")}`);
    }
  }
  const prng = new Prng(seed);
  const u = (a: number, b: number) => a + (b - a) * prng.uniform();
  const want = {} as Record<Category, boolean>;
  for (const c of CATEGORIES) {
    const draw = prng.uniform();
    want[c] = (options.require ?? []).includes(c) || draw < rates[c];
  }

  // Style.
  let style: Style = "realistic";
  let chibi = false;
  if (want.stylized) {
    const r = prng.uniform();
    if (r < 0.45) style = "cartoon";
    else if (r < 0.75) (style = "cartoon"), (chibi = true);
    else style = "silhouette";
  } else prng.uniform();

  // Characters, motions, held object.
  const count = want["multi-character"] ? (prng.uniform() < 0.7 ? 2 : 3) : 1;
  const objectMode = want.interaction ? prng.int(20) : -1; // <12 object, <17 ball, else both
  const withObject = objectMode >= 0 && (objectMode < 12 || objectMode >= 17);
  const withBall = objectMode >= 12;
  const holder = prng.int(count);
  const persons: PersonSpec[] = [];
  for (let i = 0; i < count; i++) {
    const character = sampleCharacter(prng, { chibi, fantasyHair: style === "cartoon" });
    let object: HeldObjectSpec | null = null;
    if (withObject && i === holder) {
      const colors: ColorName[] = ["red", "blue", "yellow", "green", "black", "orange"];
      object = {
        kind: HELD_OBJECTS[prng.int(HELD_OBJECTS.length)],
        hand: prng.uniform() < 0.5 ? "left" : "right",
        color: colors[prng.int(colors.length)],
        size: u(0.9, 1.1) * Math.min(1, character.shape.height / 1.6),
      };
    }
    const family: MotionFamily = want["rare-pose"] && i === 0 ? "rare" : prng.uniform() < 0.5 ? "daily" : "dance";
    // Nobody does a handstand while holding something.
    const kinds = (MOTION_KINDS[family] as readonly MotionKind[]).filter((k) => !(object && k === "handstand"));
    const motion = sampleMotion(prng, { family, kind: kinds[prng.int(kinds.length)], grip: object?.hand });
    persons.push({ character, motion, place: [0, 0], object });
  }
  const heights = persons.map((p) => p.character.shape.height);
  const hMax = Math.max(...heights);
  const spacing = 0.85 * hMax;
  for (let i = 0; i < count; i++) {
    persons[i].place = [(i - (count - 1) / 2) * spacing + u(-0.08, 0.08) * hMax, u(-0.3, 0.3)];
  }

  // Scene and light.
  const background = sampleBackground(prng, { bright: style === "silhouette" });
  let lightKind: LightSpec["kind"] = "front";
  if (style === "silhouette") lightKind = "back";
  else if (want.lighting) lightKind = (["side", "back", "moving"] as const)[prng.int(3)];
  const light = sampleLight(prng, { kind: lightKind });

  // Camera framing the group; optional pan/zoom.
  const fovY = u(0.6, 0.9);
  const halfW = ((count - 1) / 2) * spacing + 0.4 * hMax;
  const halfH = 0.62 * hMax;
  const tan = Math.tan(fovY / 2);
  const distance = Math.max(2, Math.max(halfH, halfW) / tan * u(1.0, 1.25));
  const camKind: CameraSpec["kind"] = want["camera-motion"]
    ? (["pan", "zoom", "pan-zoom"] as const)[prng.int(3)]
    : "static";
  const camera: CameraSpec = {
    kind: camKind,
    target: [u(-0.05, 0.05) * hMax, 0.5 * hMax * u(0.92, 1.08), 0],
    distance,
    pitch: u(0.05, 0.3),
    fovY,
    panSpeed: (prng.uniform() < 0.5 ? -1 : 1) * u(0.1, 0.25) * hMax,
    zoomRate: (prng.uniform() < 0.5 ? -1 : 1) * u(0.1, 0.2),
  };
  const ball = withBall ? sampleBall(prng, { x: 0, halfWidth: halfW }) : null;
  const referenceTime = CLIP_DURATION + u(0.3, 1.5);
  const captionVariant = Array.from({ length: 8 }, () => prng.int(1000));
  // Validate the shapes now so a bad spec fails at sampling time.
  for (const p of persons) makeBodyShape(p.character.shape);
  return {
    generator: GENERATOR_VERSION,
    seed,
    style,
    persons,
    background,
    light,
    camera,
    ball,
    duration: CLIP_DURATION,
    referenceTime,
    captionVariant,
  };
}
