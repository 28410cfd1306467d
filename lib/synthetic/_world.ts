/**
 * The 3D state of a clip at one instant (private): posed skeletons, the
 * capsules and materials of every visible surface, the hand-only and
 * body-only capsule sets for the condition renders, held-object capsules and
 * the ball.
 *
 * @module
 */

import type { BodyShape } from "./body_shape.ts";
import { makeBodyShape } from "./body_shape.ts";
import type { ClipSpec } from "./clip_spec.ts";
import { forwardKinematics, J, joint, LEFT_HAND, RIGHT_HAND, type Skeleton } from "./forward_kinematics.ts";
import { poseAt } from "./motion.ts";
import { ballAt, type Bounce, heldObjectParts, type ObjectPart } from "./objects.ts";
import { COLORS, HAIR_COLORS, type Rgb, SKIN_TONES } from "./palette.ts";
import { LABEL_BALL, LABEL_OBJECT, type Prim } from "./_raster.ts";
import { apply, type V3 } from "./_math.ts";

/** How a capsule is coloured. */
export interface Material {
  kind: "plain" | "pattern" | "head";
  c1: Rgb;
  c2: Rgb;
  pattern: "solid" | "stripes" | "checks";
  /** Pattern period in metres. */
  period: number;
  /** Head only: hair style and the head's up/forward axes. */
  hair?: "short" | "long" | "bun" | "bald";
  up?: V3;
  fwd?: V3;
}

/** The scene at one instant. */
export interface World {
  skeletons: Skeleton[];
  /** Everything the RGB camera sees. */
  prims: Prim[];
  materials: Material[];
  /** Hand capsules only; `mat` is 0 for left hands and 1 for right hands. */
  handPrims: Prim[];
  /** Body capsules only (no hair, eyes, objects); `mat` unused. */
  bodyPrims: Prim[];
  /** Capsules that cast floor shadows. */
  casters: Prim[];
  /** Held-object capsules per person (null when empty-handed). */
  objects: (ObjectPart[] | null)[];
  /** Ball centre (null without a ball). */
  ball: V3 | null;
}

/** Body shapes of a spec's persons (computed once per clip). */
export function specShapes(spec: ClipSpec): BodyShape[] {
  return spec.persons.map((p) => makeBodyShape(p.character.shape));
}

const DARK: Rgb = [0.04, 0.03, 0.03];

/** Builds the scene at time t. */
export function worldAt(spec: ClipSpec, shapes: BodyShape[], t: number, bounces: Bounce[] | null): World {
  const prims: Prim[] = [];
  const materials: Material[] = [];
  const handPrims: Prim[] = [];
  const bodyPrims: Prim[] = [];
  const casters: Prim[] = [];
  const skeletons: Skeleton[] = [];
  const objects: (ObjectPart[] | null)[] = [];
  const mat = (m: Material) => materials.push(m) - 1;
  const plain = (c: Rgb) => mat({ kind: "plain", c1: c, c2: c, pattern: "solid", period: 1 });

  spec.persons.forEach((person, pi) => {
    const shape = shapes[pi];
    const label = pi + 1;
    const ch = person.character;
    const pose = poseAt(person.motion, t);
    const obj = person.object;
    const sk = forwardKinematics(shape, pose, { place: person.place });
    skeletons.push(sk);
    const P = (j: number) => joint(sk, j);
    const skin = SKIN_TONES[ch.skin];
    const mSkin = plain(skin);
    const mTop = mat({
      kind: ch.top.pattern === "solid" ? "plain" : "pattern",
      c1: COLORS[ch.top.color] as Rgb,
      c2: COLORS[ch.top.color2] as Rgb,
      pattern: ch.top.pattern,
      period: ch.top.period,
    });
    const mBottom = plain(COLORS[ch.bottom.color] as Rgb);
    const mShoes = plain(COLORS[ch.shoes] as Rgb);
    const hairRgb = HAIR_COLORS[ch.hair.color] as Rgb;
    const mHead = mat({
      kind: "head",
      c1: skin,
      c2: hairRgb,
      pattern: "solid",
      period: 1,
      hair: ch.hair.style,
      up: apply(sk.head, [0, 1, 0]),
      fwd: apply(sk.head, [0, 0, 1]),
    });
    const mHair = plain(hairRgb);
    const mEye = plain(DARK);
    const r = shape.headRadius;
    const head = P(J.head);
    const body = (a: V3, b: V3, ra: number, rb: number, m: number, shadow = true) => {
      const p = { a, b, ra, rb, mat: m, label };
      prims.push(p);
      bodyPrims.push(p);
      if (shadow) casters.push(p);
    };
    // Head, neck, torso.
    body(head, head, r, r, mHead);
    const chin = apply(sk.head, [0, -0.75 * r, 0]);
    body(
      P(J.chest),
      [head[0] + chin[0], head[1] + chin[1], head[2] + chin[2]],
      shape.neckRadius,
      shape.neckRadius,
      mSkin,
    );
    const up = apply(sk.spine, [0, 1, 0]);
    const pel = P(J.pelvis);
    const waist: V3 = [
      pel[0] + up[0] * 0.3 * shape.torsoLength,
      pel[1] + up[1] * 0.3 * shape.torsoLength,
      pel[2] + up[2] * 0.3 * shape.torsoLength,
    ];
    body(waist, P(J.chest), shape.waistRadius, shape.chestRadius, mTop);
    body(P(J.left_shoulder), P(J.right_shoulder), shape.upperArmRadius * 1.25, shape.upperArmRadius * 1.25, mTop);
    body(pel, waist, shape.hipRadius, shape.waistRadius * 0.98, mBottom);
    body(P(J.left_hip), P(J.right_hip), shape.hipRadius, shape.hipRadius, mBottom);
    // Limbs.
    for (const side of ["left", "right"] as const) {
      const sh = P(J[`${side}_shoulder`]), el = P(J[`${side}_elbow`]), wr = P(J[`${side}_wrist`]);
      body(sh, el, shape.upperArmRadius, shape.forearmRadius * 1.08, mTop);
      body(el, wr, shape.forearmRadius, shape.forearmRadius * 0.78, ch.top.sleeves === "long" ? mTop : mSkin);
      const hip = P(J[`${side}_hip`]), kn = P(J[`${side}_knee`]), an = P(J[`${side}_ankle`]);
      body(hip, kn, shape.thighRadius, shape.shinRadius * 1.1, mBottom);
      body(kn, an, shape.shinRadius, shape.shinRadius * 0.72, ch.bottom.kind === "trousers" ? mBottom : mSkin);
      body(P(J[`${side}_heel`]), P(J[`${side}_toe`]), shape.footRadius, shape.footRadius * 0.9, mShoes);
      // Hand: palm, knuckles, thumb and fingers.
      const base = side === "left" ? LEFT_HAND : RIGHT_HAND;
      const H = (k: number) => P(base + k);
      const hand = (a: V3, b: V3, ra: number, rb: number, shadow: boolean) => {
        body(a, b, ra, rb, mSkin, shadow);
        handPrims.push({ a, b, ra, rb, mat: side === "left" ? 0 : 1, label });
      };
      hand(H(0), H(9), shape.palmWidth * 0.42, shape.palmWidth * 0.45, true);
      hand(H(5), H(17), shape.fingerRadius * 1.4, shape.fingerRadius * 1.3, false);
      for (let f = 0; f < 5; f++) {
        const k0 = 1 + 4 * f;
        for (let k = 0; k < 3; k++) {
          hand(
            H(k0 + k),
            H(k0 + k + 1),
            shape.fingerRadius * (f === 0 && k === 0 ? 1.6 : 1.05),
            shape.fingerRadius,
            false,
          );
        }
      }
    }
    // Hair and eyes (RGB only; not part of the body-shape render).
    const hp = (v: V3): V3 => {
      const q = apply(sk.head, v);
      return [head[0] + q[0], head[1] + q[1], head[2] + q[2]];
    };
    if (ch.hair.style === "long") {
      const p = {
        a: hp([0, 0.25 * r, -0.55 * r]),
        b: hp([0, -1.5 * r, -0.65 * r]),
        ra: 0.78 * r,
        rb: 0.6 * r,
        mat: mHair,
        label,
      };
      prims.push(p);
      casters.push(p);
    } else if (ch.hair.style === "bun") {
      const c = hp([0, 0.72 * r, -0.72 * r]);
      const p = { a: c, b: c, ra: 0.42 * r, rb: 0.42 * r, mat: mHair, label };
      prims.push(p);
      casters.push(p);
    }
    if (spec.style !== "silhouette") {
      const er = (spec.style === "cartoon" ? 0.17 : 0.12) * r;
      for (const j of [J.left_eye, J.right_eye]) {
        const e = P(j);
        prims.push({ a: e, b: e, ra: er, rb: er, mat: mEye, label });
      }
    }
    // Held object.
    if (obj) {
      const h = obj.hand === "left" ? 0 : 1;
      const parts = heldObjectParts(obj, shape, {
        wrist: P(h === 0 ? J.left_wrist : J.right_wrist),
        frame: sk.hands[h],
      });
      for (const part of parts) {
        const p = { a: part.a, b: part.b, ra: part.ra, rb: part.rb, mat: plain(part.color), label: LABEL_OBJECT };
        prims.push(p);
        casters.push(p);
      }
      objects.push(parts);
    } else objects.push(null);
  });

  let ball: V3 | null = null;
  if (spec.ball && bounces) {
    ball = ballAt(spec.ball, t, { bounces }).pos;
    const p = {
      a: ball,
      b: ball,
      ra: spec.ball.radius,
      rb: spec.ball.radius,
      mat: plain(COLORS[spec.ball.color] as Rgb),
      label: LABEL_BALL,
    };
    prims.push(p);
    casters.push(p);
  }
  return { skeletons, prims, materials, handPrims, bodyPrims, casters, objects, ball };
}
