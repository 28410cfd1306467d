/**
 * Objects of the synthetic world: hand-held props that move rigidly with the
 * gripping hand (dumbbell, broom, paddle) and a bouncing ball simulated
 * exactly (ballistic flight under gravity, floor bounces with a coefficient of
 * restitution).
 *
 * @module
 */

import type { Prng } from "../random/mod.ts";
import type { BodyShape } from "./body_shape.ts";
import { type ColorName, COLORS, type Rgb } from "./palette.ts";
import { type M3, offset, type V3 } from "./_math.ts";

/** Kinds of hand-held objects. */
export const HELD_OBJECTS = ["dumbbell", "broom", "paddle"] as const;
/** A hand-held object kind. */
export type HeldObjectKind = typeof HELD_OBJECTS[number];

/** A hand-held object (plain JSON). */
export interface HeldObjectSpec {
  kind: HeldObjectKind;
  hand: "left" | "right";
  color: ColorName;
  /** Overall size multiplier. */
  size: number;
}

/** One capsule of an object, in world coordinates. */
export interface ObjectPart {
  a: V3;
  b: V3;
  ra: number;
  rb: number;
  color: Rgb;
}

/** Standard gravity, m/s². */
export const GRAVITY = 9.81;

/**
 * The grip point of a held object in the hand frame (fingers along −y, thumb
 * side +z, palm normal −side·x): inside the closed fist.
 *
 * @param spec the object
 * @param shape the holder's body
 * @returns the grip point in hand coordinates (metres)
 * @example
 * ```ts
 * import { makeBodyShape } from "./body_shape.ts";
 * import { heldObjectGrip } from "./objects.ts";
 * console.log(heldObjectGrip({ kind: "broom", hand: "left", color: "brown", size: 1 }, makeBodyShape({ height: 1.7, chibi: 0, build: 0.5 })));
 * ```
 */
export function heldObjectGrip(spec: HeldObjectSpec, shape: BodyShape): V3 {
  const s = spec.hand === "left" ? 1 : -1;
  return [-s * 0.35 * shape.palmWidth, -0.55 * shape.handLength, 0];
}

/**
 * The capsules of a held object, rigidly attached to the hand.
 *
 * @param spec the object
 * @param shape the holder's body
 * @param hand the world wrist position and hand rotation of the gripping hand
 * @returns world-space capsules (the first one passes through the grip point)
 * @example
 * ```ts
 * import { makeBodyShape } from "./body_shape.ts";
 * import { heldObjectParts } from "./objects.ts";
 * const parts = heldObjectParts({ kind: "dumbbell", hand: "right", color: "grey", size: 1 }, makeBodyShape({ height: 1.7, chibi: 0, build: 0.5 }), { wrist: [0, 1, 0], frame: [1, 0, 0, 0, 1, 0, 0, 0, 1] });
 * console.log(parts.length); // 3
 * ```
 */
export function heldObjectParts(
  spec: HeldObjectSpec,
  shape: BodyShape,
  hand: { wrist: V3; frame: M3 },
): ObjectPart[] {
  const g = heldObjectGrip(spec, shape);
  const k = spec.size;
  const at = (dz: number, dy = 0): V3 => offset(hand.wrist, hand.frame, [g[0], g[1] + dy, g[2] + dz]);
  const c = COLORS[spec.color] as Rgb;
  switch (spec.kind) {
    case "dumbbell": {
      const plate: Rgb = [c[0] * 0.6, c[1] * 0.6, c[2] * 0.6];
      return [
        { a: at(-0.12 * k), b: at(0.12 * k), ra: 0.014 * k, rb: 0.014 * k, color: [0.55, 0.56, 0.58] },
        { a: at(-0.13 * k), b: at(-0.19 * k), ra: 0.06 * k, rb: 0.06 * k, color: plate },
        { a: at(0.13 * k), b: at(0.19 * k), ra: 0.06 * k, rb: 0.06 * k, color: plate },
      ];
    }
    case "broom":
      // Held mid-stick: 0.5 m of stick above the fist, 0.55 m below, the brush at the lower end.
      return [
        { a: at(0.5 * k), b: at(-0.55 * k), ra: 0.016 * k, rb: 0.016 * k, color: [0.5, 0.33, 0.18] },
        { a: at(-0.6 * k, -0.13 * k), b: at(-0.6 * k, 0.13 * k), ra: 0.05 * k, rb: 0.05 * k, color: c },
      ];
    case "paddle":
      return [
        { a: at(-0.1 * k), b: at(0.16 * k), ra: 0.017 * k, rb: 0.017 * k, color: [0.55, 0.38, 0.22] },
        { a: at(0.22 * k), b: at(0.4 * k), ra: 0.075 * k, rb: 0.075 * k, color: c },
      ];
    default:
      throw new RangeError(
        `Cannot build held object ${JSON.stringify(spec.kind)}: expected one of ${HELD_OBJECTS.join(", ")}`,
      );
  }
}

/** A bouncing ball (plain JSON): initial state at t = 0. */
export interface BallSpec {
  radius: number;
  color: ColorName;
  /** Initial centre position (y ≥ radius). */
  p0: V3;
  /** Initial velocity, m/s. */
  v0: V3;
  /** Coefficient of restitution of floor bounces, in (0, 1). */
  restitution: number;
}

/** One floor contact of the ball. */
export interface Bounce {
  t: number;
  /** Vertical speed just before (negative) and after (positive) the bounce. */
  vIn: number;
  vOut: number;
}

/** Below this rebound speed (m/s) the ball stays on the floor. */
const REST_SPEED = 0.05;

/**
 * The floor contacts of the ball up to time tMax, computed in closed form.
 *
 * References: projectile motion y(τ) = y₀ + v τ − g τ²/2; impact law v⁺ = −e v⁻.
 *
 * @param ball the ball
 * @param tMax last time of interest, seconds
 * @returns bounces in time order (the last one may have vOut = 0: the ball rests)
 * @example
 * ```ts
 * import { ballBounces } from "./objects.ts";
 * const b = ballBounces({ radius: 0.1, color: "red", p0: [0, 1.1, 0], v0: [0, 0, 0], restitution: 0.5 }, 2);
 * console.log(b[0].t.toFixed(4)); // "0.4515" = sqrt(2·1/9.81)
 * ```
 */
export function ballBounces(ball: BallSpec, tMax: number): Bounce[] {
  if (!(ball.p0[1] >= ball.radius)) {
    throw new RangeError(
      `Cannot simulate a ball starting below the floor: centre height ${ball.p0[1]} < radius ${ball.radius}`,
    );
  }
  if (!(ball.restitution > 0 && ball.restitution < 1)) {
    throw new RangeError(`Cannot simulate a ball as restitution must be in (0, 1): received ${ball.restitution}`);
  }
  const out: Bounce[] = [];
  let t = 0, y = ball.p0[1], v = ball.v0[1];
  while (t <= tMax && out.length < 200) {
    const tau = (v + Math.sqrt(v * v + 2 * GRAVITY * (y - ball.radius))) / GRAVITY;
    t += tau;
    const vIn = v - GRAVITY * tau;
    let vOut = -ball.restitution * vIn;
    if (vOut < REST_SPEED) vOut = 0;
    out.push({ t, vIn, vOut });
    if (vOut === 0) break;
    y = ball.radius;
    v = vOut;
  }
  return out;
}

/**
 * The ball centre at time t ≥ 0.
 *
 * @param ball the ball
 * @param t time in seconds
 * @param options `bounces`: `ballBounces(ball, tMax)` with tMax ≥ t (computed if omitted)
 * @returns centre position and vertical velocity
 * @example
 * ```ts
 * import { ballAt } from "./objects.ts";
 * console.log(ballAt({ radius: 0.1, color: "red", p0: [0, 1.1, 0], v0: [0.5, 0, 0], restitution: 0.5 }, 0.2).pos);
 * ```
 */
export function ballAt(ball: BallSpec, t: number, options: { bounces?: Bounce[] } = {}): { pos: V3; vy: number } {
  if (!(t >= 0)) throw new RangeError(`Cannot evaluate the ball before its start: t must be >= 0, received ${t}`);
  const bs = options.bounces ?? ballBounces(ball, t);
  let t0 = 0, y0 = ball.p0[1], v0 = ball.v0[1];
  for (const b of bs) {
    if (b.t > t) break;
    t0 = b.t;
    y0 = ball.radius;
    v0 = b.vOut;
    if (b.vOut === 0) {
      return { pos: [ball.p0[0] + ball.v0[0] * t, ball.radius, ball.p0[2] + ball.v0[2] * t], vy: 0 };
    }
  }
  const tau = t - t0;
  const y = y0 + v0 * tau - 0.5 * GRAVITY * tau * tau;
  return { pos: [ball.p0[0] + ball.v0[0] * t, y, ball.p0[2] + ball.v0[2] * t], vy: v0 - GRAVITY * tau };
}

/**
 * Draws a random ball near a group of characters.
 *
 * @param prng the random stream (advanced)
 * @param around centre x of the group and its half width (metres)
 * @returns the ball spec
 * @example
 * ```ts
 * import { Prng } from "../random/mod.ts";
 * import { sampleBall } from "./objects.ts";
 * console.log(sampleBall(new Prng(1), { x: 0, halfWidth: 0.5 }).restitution);
 * ```
 */
export function sampleBall(prng: Prng, around: { x: number; halfWidth: number }): BallSpec {
  const u = (a: number, b: number) => a + (b - a) * prng.uniform();
  const radius = u(0.08, 0.15);
  const where = prng.int(3); // 0 in front, 1 behind, 2 beside
  const side = prng.uniform() < 0.5 ? -1 : 1;
  const x = where === 2
    ? around.x + side * (around.halfWidth + u(0.3, 0.6))
    : around.x + u(-0.5, 0.5) * around.halfWidth;
  const z = where === 0 ? u(0.5, 1.0) : where === 1 ? -u(0.5, 0.9) : u(-0.3, 0.3);
  const colors: ColorName[] = ["red", "orange", "yellow", "green", "blue", "pink", "white", "purple"];
  return {
    radius,
    color: colors[prng.int(colors.length)],
    p0: [x, radius + u(0.3, 1.4), z],
    v0: [u(-0.35, 0.35), u(-1, 2), u(-0.1, 0.1)],
    restitution: u(0.55, 0.85),
  };
}
