/**
 * Scenes of the synthetic world: a procedural background (studio backdrop,
 * room with wall decorations, or outdoors with sky and hills), a floor plane
 * y = 0 with a pattern, a directional light (front, side, back or moving) and
 * a pinhole camera that may pan and zoom. Plain JSON plus evaluators at time t.
 *
 * @module
 */

import type { Prng } from "../random/mod.ts";
import { COLORS, type Rgb, WALL_COLORS, type WallColorName } from "./palette.ts";
import { cross, normalize, type V3 } from "./_math.ts";

/** Background kinds. */
export const BACKGROUND_KINDS = ["studio", "room", "outdoor"] as const;
/** Floor kinds, as captions name them. */
export const FLOOR_KINDS = ["plain", "checkered", "wooden", "grass", "sand", "stone"] as const;
/** Sky kinds for outdoor scenes. */
export const SKY_KINDS = ["blue", "sunset", "grey"] as const;
/** Light kinds (all but "front" count as the `lighting` category). */
export const LIGHT_KINDS = ["front", "side", "back", "moving"] as const;
/** Camera kinds (all but "static" count as the `camera-motion` category). */
export const CAMERA_KINDS = ["static", "pan", "zoom", "pan-zoom"] as const;

/** A decoration on the back wall (rect or circle), in wall coordinates (x, y) metres. */
export interface WallShape {
  kind: "rect" | "circle";
  x: number;
  y: number;
  w: number;
  h: number;
  color: Rgb;
}

/** The static background (plain JSON). */
export interface BackgroundSpec {
  kind: typeof BACKGROUND_KINDS[number];
  /** z of the back wall (studio/room), negative. */
  wallZ: number;
  wallColor: WallColorName;
  /** Top and bottom colours of the wall gradient. */
  wallTop: Rgb;
  wallBottom: Rgb;
  shapes: WallShape[];
  floor: { kind: typeof FLOOR_KINDS[number]; c1: Rgb; c2: Rgb; tile: number };
  sky: typeof SKY_KINDS[number];
  /** Outdoor hills: base elevation (radians) and sinusoid amplitudes/frequencies/phases over azimuth. */
  hills: { color: Rgb; base: number; amps: number[]; freqs: number[]; phases: number[] };
}

/** A directional light (plain JSON). */
export interface LightSpec {
  kind: typeof LIGHT_KINDS[number];
  /** Azimuth of the direction towards the light at t = 0 (0 = from the camera side, +π/2 = from +x). */
  azimuth: number;
  /** Azimuth change rate, rad/s (moving lights). */
  azimuthRate: number;
  /** Elevation above the horizon, radians. */
  elevation: number;
  intensity: number;
  ambient: number;
  tint: "white" | "warm" | "cool";
}

/** A camera path (plain JSON). */
export interface CameraSpec {
  kind: typeof CAMERA_KINDS[number];
  /** Look-at point at t = 0. */
  target: V3;
  distance: number;
  /** Downward tilt, radians. */
  pitch: number;
  /** Vertical field of view at t = 0, radians. */
  fovY: number;
  /** Sideways speed of camera and target, m/s. */
  panSpeed: number;
  /** Log-zoom rate, 1/s (focal length ∝ exp(rate · t)). */
  zoomRate: number;
}

/** A camera at one instant, for an image of a given size. */
export interface CameraFrame {
  pos: V3;
  right: V3;
  up: V3;
  /** Viewing direction. */
  fwd: V3;
  /** Focal length in pixels. */
  focal: number;
  cx: number;
  cy: number;
  width: number;
  height: number;
}

const TINTS: Record<LightSpec["tint"], Rgb> = { white: [1, 1, 1], warm: [1, 0.9, 0.75], cool: [0.8, 0.9, 1.05] };

/**
 * The camera at time t.
 *
 * @param cam the camera path
 * @param t time in seconds
 * @param size image width and height in pixels
 * @returns position, axes, focal length and principal point
 * @example
 * ```ts
 * import { cameraAt } from "./scene.ts";
 * const c = cameraAt({ kind: "static", target: [0, 1, 0], distance: 5, pitch: 0.1, fovY: 0.7, panSpeed: 0, zoomRate: 0 }, 0, { width: 64, height: 64 });
 * console.log(c.focal.toFixed(1));
 * ```
 */
export function cameraAt(cam: CameraSpec, t: number, size: { width: number; height: number }): CameraFrame {
  const pan = cam.kind === "pan" || cam.kind === "pan-zoom" ? cam.panSpeed * t : 0;
  const zoom = cam.kind === "zoom" || cam.kind === "pan-zoom" ? Math.exp(cam.zoomRate * t) : 1;
  const s = Math.sin(cam.pitch), c = Math.cos(cam.pitch);
  const fwd: V3 = [0, -s, -c];
  const right: V3 = [1, 0, 0];
  const up = normalize(cross(right, fwd));
  const tx = cam.target[0] + pan;
  return {
    pos: [tx - fwd[0] * cam.distance, cam.target[1] - fwd[1] * cam.distance, cam.target[2] - fwd[2] * cam.distance],
    right,
    up,
    fwd,
    focal: (size.height / 2) / Math.tan(cam.fovY / 2) * zoom,
    cx: size.width / 2,
    cy: size.height / 2,
    width: size.width,
    height: size.height,
  };
}

/**
 * Projects a world point into the image.
 *
 * @param cam the camera frame
 * @param p a world point
 * @returns [u, v, depth]: pixel coordinates (u right, v down; pixel (i, j) spans [j, j+1) × [i, i+1)) and depth along the view axis
 * @example
 * ```ts
 * import { cameraAt, project } from "./scene.ts";
 * const c = cameraAt({ kind: "static", target: [0, 1, 0], distance: 5, pitch: 0, fovY: 0.7, panSpeed: 0, zoomRate: 0 }, 0, { width: 64, height: 64 });
 * console.log(project(c, [0, 1, 0])); // [32, 32, 5]
 * ```
 */
export function project(cam: CameraFrame, p: Readonly<V3>): [number, number, number] {
  const dx = p[0] - cam.pos[0], dy = p[1] - cam.pos[1], dz = p[2] - cam.pos[2];
  const x = dx * cam.right[0] + dy * cam.right[1] + dz * cam.right[2];
  const y = dx * cam.up[0] + dy * cam.up[1] + dz * cam.up[2];
  const z = dx * cam.fwd[0] + dy * cam.fwd[1] + dz * cam.fwd[2];
  return [cam.cx + cam.focal * x / z, cam.cy - cam.focal * y / z, z];
}

/**
 * The unit direction towards the light at time t.
 *
 * @param light the light
 * @param t time in seconds
 * @returns world direction (y > 0)
 * @example
 * ```ts
 * import { lightDirAt } from "./scene.ts";
 * console.log(lightDirAt({ kind: "front", azimuth: 0, azimuthRate: 0, elevation: Math.PI / 2, intensity: 1, ambient: 0.3, tint: "white" }, 0));
 * ```
 */
export function lightDirAt(light: LightSpec, t: number): V3 {
  const az = light.azimuth + (light.kind === "moving" ? light.azimuthRate * t : 0);
  const ce = Math.cos(light.elevation);
  return [ce * Math.sin(az), Math.sin(light.elevation), ce * Math.cos(az)];
}

/**
 * The light colour (tint × intensity).
 * @param light the light
 * @returns RGB multiplier
 * @example
 * ```ts
 * import { lightColor } from "./scene.ts";
 * console.log(lightColor({ kind: "front", azimuth: 0, azimuthRate: 0, elevation: 1, intensity: 1, ambient: 0.3, tint: "warm" }));
 * ```
 */
export function lightColor(light: LightSpec): Rgb {
  const t = TINTS[light.tint];
  return [t[0] * light.intensity, t[1] * light.intensity, t[2] * light.intensity];
}

/** Options of `sampleBackground`. */
export interface SampleBackgroundOptions {
  /** Silhouette clips need a bright background behind the characters. */
  bright: boolean;
}

/**
 * Draws a random background.
 *
 * @param prng the random stream (advanced)
 * @param options brightness constraint
 * @returns the background spec
 * @example
 * ```ts
 * import { Prng } from "../random/mod.ts";
 * import { sampleBackground } from "./scene.ts";
 * console.log(sampleBackground(new Prng(2), { bright: false }).kind);
 * ```
 */
export function sampleBackground(prng: Prng, options: SampleBackgroundOptions): BackgroundSpec {
  const u = (a: number, b: number) => a + (b - a) * prng.uniform();
  const pick = <T>(xs: readonly T[]): T => xs[prng.int(xs.length)];
  const jitter = (c: Rgb, a: number): Rgb =>
    c.map((x) => Math.min(1, Math.max(0, x + a * (prng.uniform() - 0.5)))) as Rgb;
  const kind = pick(BACKGROUND_KINDS);
  const wallNames = Object.keys(WALL_COLORS) as WallColorName[];
  const wallColor = options.bright ? pick(["white", "yellow", "orange", "pink"] as const) : pick(wallNames);
  const base = WALL_COLORS[wallColor];
  const wallTop = jitter(base.map((x) => Math.min(1, x * 1.08)) as Rgb, 0.05);
  const wallBottom = jitter(base.map((x) => x * 0.82) as Rgb, 0.05);
  const shapes: WallShape[] = [];
  if (kind === "room") {
    const n = 1 + prng.int(4);
    const deco = Object.values(COLORS) as Rgb[];
    for (let i = 0; i < n; i++) {
      const rect = prng.uniform() < 0.6;
      shapes.push({
        kind: rect ? "rect" : "circle",
        x: u(-3, 3),
        y: u(1.0, 2.4),
        w: rect ? u(0.3, 1.2) : u(0.15, 0.4),
        h: rect ? u(0.3, 1.0) : 0,
        color: jitter(pick(deco), 0.1),
      });
    }
  }
  let floor: BackgroundSpec["floor"];
  if (kind === "outdoor") {
    const f = pick(["grass", "sand", "stone"] as const);
    floor = f === "grass"
      ? { kind: f, c1: jitter([0.28, 0.55, 0.22], 0.08), c2: jitter([0.24, 0.5, 0.2], 0.05), tile: u(0.6, 1.2) }
      : f === "sand"
      ? { kind: f, c1: jitter([0.86, 0.76, 0.55], 0.06), c2: jitter([0.82, 0.72, 0.52], 0.04), tile: 1 }
      : { kind: f, c1: jitter([0.62, 0.6, 0.57], 0.06), c2: jitter([0.5, 0.49, 0.47], 0.05), tile: u(0.4, 0.8) };
  } else {
    const f = pick(["plain", "checkered", "wooden"] as const);
    floor = f === "plain"
      ? { kind: f, c1: jitter([0.55, 0.55, 0.56], 0.3), c2: [0, 0, 0], tile: 1 }
      : f === "checkered"
      ? { kind: f, c1: jitter([0.85, 0.85, 0.83], 0.1), c2: jitter([0.2, 0.2, 0.22], 0.1), tile: u(0.3, 0.6) }
      : { kind: f, c1: jitter([0.6, 0.42, 0.25], 0.1), c2: jitter([0.5, 0.34, 0.2], 0.08), tile: u(0.12, 0.22) };
  }
  const sky = options.bright ? pick(["sunset", "blue"] as const) : pick(SKY_KINDS);
  return {
    kind,
    wallZ: -u(2.0, 3.5),
    wallColor,
    wallTop,
    wallBottom,
    shapes,
    floor,
    sky,
    hills: {
      color: jitter(sky === "sunset" ? [0.45, 0.3, 0.35] : [0.35, 0.5, 0.4], 0.08),
      base: u(0.01, 0.05),
      amps: [u(0.01, 0.04), u(0.005, 0.02)],
      freqs: [1 + prng.int(3), 4 + prng.int(5)],
      phases: [u(0, 6.28), u(0, 6.28)],
    },
  };
}

/** Options of `sampleLight`. */
export interface SampleLightOptions {
  kind: LightSpec["kind"];
}

/**
 * Draws a random light of a given kind.
 *
 * @param prng the random stream (advanced)
 * @param options the light kind
 * @returns the light spec
 * @example
 * ```ts
 * import { Prng } from "../random/mod.ts";
 * import { sampleLight } from "./scene.ts";
 * console.log(sampleLight(new Prng(2), { kind: "side" }).kind); // "side"
 * ```
 */
export function sampleLight(prng: Prng, options: SampleLightOptions): LightSpec {
  const u = (a: number, b: number) => a + (b - a) * prng.uniform();
  const sign = prng.uniform() < 0.5 ? -1 : 1;
  const tint = (["white", "warm", "cool"] as const)[prng.int(3)];
  const base = { kind: options.kind, azimuthRate: 0, intensity: u(0.85, 1.15), ambient: u(0.28, 0.45), tint };
  switch (options.kind) {
    case "front":
      return { ...base, azimuth: u(-0.5, 0.5), elevation: u(0.6, 1.1) };
    case "side":
      return { ...base, azimuth: sign * u(0.9, 1.5), elevation: u(0.35, 0.8), ambient: u(0.22, 0.35) };
    case "back":
      return { ...base, azimuth: Math.PI + u(-0.5, 0.5), elevation: u(0.3, 0.6), ambient: u(0.2, 0.3) };
    case "moving":
      return { ...base, azimuth: -sign * u(0.6, 1.2), azimuthRate: sign * u(0.45, 0.9), elevation: u(0.45, 0.9) };
    default:
      throw new RangeError(
        `Cannot sample light kind ${JSON.stringify(options.kind)}: expected one of ${LIGHT_KINDS.join(", ")}`,
      );
  }
}
