/**
 * Procedural motions: a base pose plus sinusoidal oscillators on the pose
 * DOFs and a constant spin rate, so every motion is smooth (C∞ before the soft
 * joint limits, C¹ after) and defined for any time t, inside or outside a clip.
 *
 * Families: daily moves (sway, wave, squat, step, march, spin), dance
 * (random combinations of rhythmic components on a common tempo), and a
 * rare-pose family (yoga tree and warrior, handstand, high kick, splits,
 * backbend, standing split) whose angles go beyond everyday ranges.
 *
 * @module
 */

import type { Prng } from "../random/mod.ts";
import { DOF, POSE_DOFS, type PoseDof } from "./forward_kinematics.ts";
import { softClamp } from "./_math.ts";

/** Motion families (the rare-pose family defines the `rare-pose` category). */
export const MOTION_FAMILIES = ["daily", "dance", "rare"] as const;
/** A motion family. */
export type MotionFamily = typeof MOTION_FAMILIES[number];

/** Motion kinds per family. */
export const MOTION_KINDS = {
  daily: ["sway", "wave", "squat", "step", "march", "spin"],
  dance: ["dance"],
  rare: ["tree", "warrior", "handstand", "kick", "splits", "backbend", "standing-split"],
} as const satisfies Record<MotionFamily, readonly string[]>;
/** A motion kind. */
export type MotionKind = typeof MOTION_KINDS[MotionFamily][number];

/** `value += amp · sin(2π · freq · t + phase)` on one DOF. */
export interface Oscillator {
  dof: PoseDof;
  amp: number;
  freq: number;
  phase: number;
}

/** A procedural motion (plain JSON). */
export interface MotionSpec {
  family: MotionFamily;
  kind: MotionKind;
  /** The limb the motion features (waving hand, kicking leg, lifted leg...). */
  side: "left" | "right";
  /** Base pose, one value per `POSE_DOFS` entry. */
  base: number[];
  osc: Oscillator[];
  /** Spin rate about the vertical axis, rad/s. */
  yawRate: number;
}

/** Everyday joint ranges (radians); rare poses use `EXTREME_LIMITS`. */
const NORMAL_LIMITS: Partial<Record<PoseDof, [number, number]>> = {
  root_pitch: [-0.4, 0.6],
  root_roll: [-0.3, 0.3],
  spine_bend: [-0.4, 1.0],
  spine_side: [-0.5, 0.5],
  spine_twist: [-0.7, 0.7],
  neck_nod: [-0.6, 0.7],
  neck_turn: [-1.0, 1.0],
  neck_tilt: [-0.4, 0.4],
  ...sided({
    shoulder_raise: [-0.2, 2.9],
    shoulder_flex: [-0.8, 2.9],
    shoulder_twist: [-1.6, 1.8],
    elbow: [0, 2.4],
    wrist_flex: [-0.9, 1.0],
    wrist_dev: [-0.3, 0.5],
    fingers: [0, 1.4],
    thumb: [0, 1.2],
    hip_flex: [-0.5, 1.9],
    hip_abd: [-0.3, 0.8],
    hip_twist: [-0.5, 0.5],
    knee: [0, 2.3],
    ankle: [-0.8, 1.0],
  }),
};
const EXTREME_LIMITS: Partial<Record<PoseDof, [number, number]>> = {
  spine_bend: [-1.3, 1.6],
  spine_side: [-0.9, 0.9],
  spine_twist: [-1.3, 1.3],
  neck_nod: [-0.9, 0.9],
  neck_turn: [-1.5, 1.5],
  ...sided({
    shoulder_raise: [-0.4, 3.3],
    shoulder_flex: [-1.2, 3.3],
    shoulder_twist: [-2.0, 2.2],
    elbow: [-0.1, 2.8],
    fingers: [0, 1.5],
    thumb: [0, 1.3],
    hip_flex: [-0.9, 2.4],
    hip_abd: [-0.4, 1.7],
    hip_twist: [-1.1, 1.1],
    knee: [-0.05, 2.7],
    ankle: [-1.0, 1.1],
  }),
};

function sided(r: Record<string, [number, number]>): Partial<Record<PoseDof, [number, number]>> {
  const o: Record<string, [number, number]> = {};
  for (const [k, v] of Object.entries(r)) o[`l_${k}`] = o[`r_${k}`] = v;
  return o as Partial<Record<PoseDof, [number, number]>>;
}

/**
 * Evaluates a motion at time t.
 *
 * @param motion the motion
 * @param t time in seconds (any real; motions extend before and after a clip)
 * @returns a pose vector (length `POSE_DOFS.length`)
 * @example
 * ```ts
 * import { Prng } from "../random/mod.ts";
 * import { poseAt, sampleMotion } from "./motion.ts";
 * const m = sampleMotion(new Prng(1), { family: "daily" });
 * console.log(poseAt(m, 0.5).length); // 37
 * ```
 */
export function poseAt(motion: MotionSpec, t: number): Float64Array {
  const p = Float64Array.from(motion.base);
  for (const o of motion.osc) p[DOF[o.dof]] += o.amp * Math.sin(2 * Math.PI * o.freq * t + o.phase);
  p[DOF.root_yaw] += motion.yawRate * t;
  const limits = motion.family === "rare" ? EXTREME_LIMITS : NORMAL_LIMITS;
  for (const [k, [lo, hi]] of Object.entries(limits) as [PoseDof, [number, number]][]) {
    p[DOF[k]] = softClamp(p[DOF[k]], lo, hi);
  }
  return p;
}

/** Options of `sampleMotion`. */
export interface SampleMotionOptions {
  family: MotionFamily;
  /** Force a kind of the family (otherwise drawn uniformly). */
  kind?: MotionKind;
  /** Side of a hand holding an object: that hand grips and its elbow stays bent. */
  grip?: "left" | "right";
}

/**
 * Draws a random motion of a family.
 *
 * @param prng the random stream (advanced)
 * @param options family, optional kind and gripping hand
 * @returns the motion spec (plain JSON)
 * @example
 * ```ts
 * import { Prng } from "../random/mod.ts";
 * import { sampleMotion } from "./motion.ts";
 * console.log(sampleMotion(new Prng(3), { family: "rare" }).family); // "rare"
 * ```
 */
export function sampleMotion(prng: Prng, options: SampleMotionOptions): MotionSpec {
  const { family } = options;
  const kinds = MOTION_KINDS[family] as readonly MotionKind[];
  if (!kinds) {
    throw new RangeError(
      `Cannot sample a motion of family ${JSON.stringify(family)}: expected one of ${MOTION_FAMILIES.join(", ")}`,
    );
  }
  const kind = options.kind ?? kinds[prng.int(kinds.length)];
  if (!kinds.includes(kind)) {
    throw new RangeError(
      `Cannot sample motion kind ${JSON.stringify(kind)} in family ${family}: expected one of ${kinds.join(", ")}`,
    );
  }
  const b = new MotionBuilder(prng, family, kind);
  BUILDERS[kind](b);
  if (options.grip) {
    const g = options.grip === "left" ? "l" : "r";
    b.set(`${g}_fingers`, 1.15).set(`${g}_thumb`, 1.0);
    b.base[DOF[`${g}_elbow`]] = Math.max(b.base[DOF[`${g}_elbow`]], 1.0);
    b.osc = b.osc.filter((o) => o.dof !== `${g}_fingers` && o.dof !== `${g}_thumb`);
  }
  return b.build();
}

class MotionBuilder {
  base = new Array<number>(POSE_DOFS.length).fill(0);
  osc: Oscillator[] = [];
  yawRate = 0;
  /** Tempo of the motion, Hz. */
  f: number;
  side: "left" | "right";
  /** "l"/"r" for the featured side, and the other side. */
  s: "l" | "r";
  o: "l" | "r";
  constructor(readonly prng: Prng, readonly family: MotionFamily, readonly kind: MotionKind) {
    this.f = 0.35 + 0.55 * prng.uniform();
    this.side = prng.uniform() < 0.5 ? "left" : "right";
    this.s = this.side === "left" ? "l" : "r";
    this.o = this.s === "l" ? "r" : "l";
    // Relaxed standing pose.
    for (const x of ["l", "r"]) {
      this.set(`${x}_shoulder_raise`, 0.12 + 0.1 * prng.uniform()).set(`${x}_elbow`, 0.15 + 0.2 * prng.uniform());
      this.set(`${x}_fingers`, 0.25 + 0.2 * prng.uniform()).set(`${x}_thumb`, 0.2).set(`${x}_knee`, 0.05);
    }
    this.set("root_yaw", 0.5 * (prng.uniform() - 0.5));
  }
  /** Random value in [a, b). */
  u(a: number, b: number): number {
    return a + (b - a) * this.prng.uniform();
  }
  set(dof: PoseDof | string, v: number): this {
    this.base[DOF[dof as PoseDof]] = v;
    return this;
  }
  add(dof: PoseDof | string, amp: number, mult = 1, phase = 0): this {
    this.osc.push({ dof: dof as PoseDof, amp, freq: this.f * mult, phase });
    return this;
  }
  build(): MotionSpec {
    return {
      family: this.family,
      kind: this.kind,
      side: this.side,
      base: this.base,
      osc: this.osc,
      yawRate: this.yawRate,
    };
  }
}

const TAU = 2 * Math.PI;

const BUILDERS: Record<MotionKind, (b: MotionBuilder) => void> = {
  sway(b) {
    const ph = b.u(0, TAU);
    b.add("spine_side", b.u(0.12, 0.25), 1, ph).add("root_x", b.u(0.03, 0.08), 1, ph);
    b.add("neck_tilt", 0.1, 1, ph + Math.PI).add("l_shoulder_raise", 0.12, 1, ph).add(
      "r_shoulder_raise",
      0.12,
      1,
      ph + Math.PI,
    );
    b.add("l_hip_abd", 0.06, 1, ph).add("r_hip_abd", 0.06, 1, ph + Math.PI).add("l_knee", 0.1, 2, ph).add(
      "r_knee",
      0.1,
      2,
      ph,
    );
  },
  wave(b) {
    const { s, o } = b;
    b.set(`${s}_shoulder_raise`, b.u(1.1, 1.6)).set(`${s}_shoulder_twist`, 1.5).set(`${s}_elbow`, b.u(1.2, 1.6));
    b.set(`${s}_fingers`, 0.05).set(`${s}_thumb`, 0.05);
    b.f = b.u(0.8, 1.2);
    b.add(`${s}_elbow`, b.u(0.3, 0.5)).add(`${s}_shoulder_raise`, 0.1, 1, 1);
    b.add("neck_turn", 0.15, 0.5).add(`${o}_shoulder_raise`, 0.05, 0.5).add("spine_side", 0.05, 0.5);
    b.set("neck_turn", (s === "l" ? 1 : -1) * 0.2);
  },
  squat(b) {
    b.f = b.u(0.35, 0.6);
    const ph = b.u(0, TAU), d = b.u(0.7, 1);
    for (const x of ["l", "r"]) {
      b.set(`${x}_hip_flex`, 0.7 * d).add(`${x}_hip_flex`, 0.6 * d, 1, ph);
      b.set(`${x}_knee`, 1.2 * d).add(`${x}_knee`, 1.1 * d, 1, ph);
      b.set(`${x}_ankle`, 0.5 * d).add(`${x}_ankle`, 0.5 * d, 1, ph);
      b.set(`${x}_shoulder_flex`, 0.8).add(`${x}_shoulder_flex`, 0.7, 1, ph);
      b.set(`${x}_hip_abd`, 0.12);
    }
    b.set("spine_bend", 0.3 * d).add("spine_bend", 0.3 * d, 1, ph);
  },
  step(b) {
    const ph = b.u(0, TAU);
    b.f = b.u(0.35, 0.6);
    b.add("root_x", b.u(0.12, 0.2), 1, ph);
    b.set("l_knee", 0.2).set("r_knee", 0.2);
    b.add("l_knee", 0.2, 2, ph).add("r_knee", 0.2, 2, ph + Math.PI);
    b.add("l_hip_abd", 0.12, 1, ph).add("r_hip_abd", 0.12, 1, ph + Math.PI);
    b.add("l_shoulder_raise", 0.2, 1, ph).add("r_shoulder_raise", 0.2, 1, ph + Math.PI).add(
      "spine_side",
      0.08,
      1,
      ph + Math.PI,
    );
  },
  march(b) {
    const ph = b.u(0, TAU), a = b.u(0.3, 0.45);
    b.f = b.u(0.5, 0.8);
    b.set("l_hip_flex", a).set("r_hip_flex", a).set("l_knee", 1.4 * a).set("r_knee", 1.4 * a);
    b.add("l_hip_flex", a, 1, ph).add("r_hip_flex", a, 1, ph + Math.PI);
    b.add("l_knee", 1.4 * a, 1, ph).add("r_knee", 1.4 * a, 1, ph + Math.PI);
    b.add("l_shoulder_flex", 0.45, 1, ph + Math.PI).add("r_shoulder_flex", 0.45, 1, ph);
    b.set("l_elbow", 0.5).set("r_elbow", 0.5);
  },
  spin(b) {
    b.yawRate = (b.prng.uniform() < 0.5 ? -1 : 1) * b.u(1.6, 3.2);
    const r = b.u(0.9, 1.5);
    b.set("l_shoulder_raise", r).set("r_shoulder_raise", r).set("l_elbow", 0.3).set("r_elbow", 0.3);
    b.add("l_knee", 0.15, 2).add("r_knee", 0.15, 2, Math.PI).add("l_shoulder_raise", 0.1, 2).add(
      "r_shoulder_raise",
      0.1,
      2,
    );
    b.set("l_knee", 0.15).set("r_knee", 0.15);
  },
  dance(b) {
    const ph = b.u(0, TAU);
    // Rhythmic core: a bounce on the knees and a hip sway.
    const bounce = b.u(0.1, 0.3);
    for (const x of ["l", "r"]) {
      b.set(`${x}_knee`, bounce + 0.05).add(`${x}_knee`, bounce, 2, ph);
      b.set(`${x}_hip_flex`, bounce * 0.5).add(`${x}_hip_flex`, bounce * 0.5, 2, ph);
    }
    b.add("spine_side", b.u(0.05, 0.2), 1, ph).add("spine_twist", b.u(0, 0.3), 1, ph + 1).add(
      "neck_nod",
      b.u(0.05, 0.15),
      2,
      ph,
    );
    // Free arms: random base pose and 2-4 oscillators each at the tempo or twice it.
    for (const x of ["l", "r"]) {
      b.set(`${x}_shoulder_raise`, b.u(0.2, 2.2)).set(`${x}_shoulder_flex`, b.u(-0.3, 1.4));
      b.set(`${x}_shoulder_twist`, b.u(-0.5, 1.5)).set(`${x}_elbow`, b.u(0.2, 1.8)).set(`${x}_fingers`, b.u(0, 1.2));
      const dofs = ["shoulder_raise", "shoulder_flex", "elbow", "shoulder_twist"];
      const n = 2 + b.prng.int(3);
      for (let i = 0; i < n; i++) {
        b.add(`${x}_${dofs[i]}`, b.u(0.2, 0.6), b.prng.uniform() < 0.6 ? 1 : 2, b.u(0, TAU));
      }
    }
    if (b.prng.uniform() < 0.5) b.add("root_x", b.u(0.05, 0.15), 0.5, ph);
    if (b.prng.uniform() < 0.3) b.yawRate = b.u(-0.8, 0.8);
  },
  tree(b) {
    const { s } = b;
    b.set(`${s}_hip_flex`, 0.5).set(`${s}_hip_abd`, b.u(1.0, 1.3)).set(`${s}_hip_twist`, 0.9).set(`${s}_knee`, 2.4);
    b.set(`${b.o}_knee`, 0);
    const up = b.prng.uniform() < 0.6;
    for (const x of ["l", "r"]) {
      if (up) b.set(`${x}_shoulder_raise`, b.u(2.7, 3.0)).set(`${x}_elbow`, 0.3).set(`${x}_fingers`, 0.05);
      else {b.set(`${x}_shoulder_flex`, 0.7).set(`${x}_shoulder_raise`, 0.3).set(`${x}_elbow`, 2.1).set(
          `${x}_shoulder_twist`,
          -0.4,
        );}
    }
    b.f = b.u(0.25, 0.4);
    b.add("spine_side", 0.06).add("root_x", 0.02).add(`${s}_hip_abd`, 0.08, 1, 1);
  },
  warrior(b) {
    const { s } = b;
    b.set("l_hip_abd", b.u(0.5, 0.7)).set("r_hip_abd", b.u(0.5, 0.7)).set(`${s}_knee`, b.u(0.9, 1.3)).set(
      `${s}_hip_flex`,
      0.3,
    );
    b.set(`${s}_hip_twist`, 0.4).set(`${b.o}_knee`, 0);
    for (const x of ["l", "r"]) {
      b.set(`${x}_shoulder_raise`, Math.PI / 2).set(`${x}_elbow`, 0).set(`${x}_fingers`, 0.05);
    }
    b.set("neck_turn", (s === "l" ? 1 : -1) * b.u(0.9, 1.3)).set("root_yaw", b.u(-0.6, 0.6));
    b.f = b.u(0.25, 0.45);
    b.add(`${s}_knee`, 0.15).add(`${s}_hip_flex`, 0.05).add("spine_side", 0.05, 1, 2);
  },
  handstand(b) {
    b.set("root_roll", Math.PI).set("root_yaw", b.u(-0.5, 0.5));
    for (const x of ["l", "r"]) {
      b.set(`${x}_shoulder_raise`, b.u(2.9, 3.1)).set(`${x}_elbow`, 0.05).set(`${x}_fingers`, 0.1).set(
        `${x}_knee`,
        0.05,
      );
      b.set(`${x}_wrist_flex`, -0.9);
    }
    b.f = b.u(0.3, 0.6);
    const split = b.prng.uniform() < 0.5;
    if (split) b.add("l_hip_flex", b.u(0.3, 0.7)).add("r_hip_flex", b.u(0.3, 0.7), 1, Math.PI);
    else b.add("l_hip_abd", 0.3).add("r_hip_abd", 0.3);
    b.add("spine_bend", 0.08, 1, 1).add("root_pitch", 0.05, 1, 2);
  },
  kick(b) {
    const { s, o } = b;
    b.f = b.u(0.45, 0.75);
    b.set(`${s}_hip_flex`, 1.0).add(`${s}_hip_flex`, b.u(0.8, 1.2), 1, -Math.PI / 2);
    b.set(`${s}_knee`, 0.3).add(`${s}_knee`, 0.3, 1, Math.PI / 2);
    b.set(`${o}_knee`, 0.1).set("root_yaw", (b.prng.uniform() < 0.5 ? -1 : 1) * b.u(0.7, 1.3));
    for (const x of ["l", "r"]) b.set(`${x}_shoulder_raise`, b.u(1.0, 1.5)).set(`${x}_elbow`, 0.4);
    b.add("spine_bend", 0.25, 1, Math.PI / 2).add("l_shoulder_raise", 0.2, 1).add("r_shoulder_raise", 0.2, 1);
  },
  splits(b) {
    const side = b.prng.uniform() < 0.5;
    if (side) b.set("l_hip_abd", b.u(1.3, 1.55)).set("r_hip_abd", b.u(1.3, 1.55));
    else b.set(`${b.s}_hip_flex`, b.u(1.4, 1.6)).set(`${b.o}_hip_flex`, -b.u(0.8, 1.0)).set(`${b.o}_ankle`, -0.7);
    for (const x of ["l", "r"]) b.set(`${x}_knee`, 0).set(`${x}_shoulder_raise`, b.u(1.2, 2.6)).set(`${x}_elbow`, 0.2);
    b.f = b.u(0.3, 0.5);
    b.set("spine_bend", 0.3).add("spine_bend", b.u(0.2, 0.5)).add("l_shoulder_raise", 0.3, 1, 1).add(
      "r_shoulder_raise",
      0.3,
      1,
      1,
    );
  },
  backbend(b) {
    b.set("spine_bend", -b.u(0.8, 1.1)).set("neck_nod", -0.7);
    for (const x of ["l", "r"]) {
      b.set(`${x}_shoulder_raise`, b.u(2.7, 3.0)).set(`${x}_elbow`, 0.2).set(`${x}_knee`, 0.5).set(
        `${x}_hip_flex`,
        -0.3,
      );
      b.set(`${x}_ankle`, 0.3);
    }
    b.f = b.u(0.25, 0.45);
    b.add("spine_bend", 0.2).add("neck_nod", 0.2);
  },
  "standing-split"(b) {
    const { s, o } = b;
    b.set(`${s}_hip_flex`, b.u(1.8, 2.3)).set(`${s}_knee`, 0).set(`${o}_knee`, 0);
    b.set(`${s}_shoulder_flex`, b.u(1.6, 2.4)).set(`${s}_elbow`, b.u(0.1, 0.5));
    b.set(`${o}_shoulder_flex`, b.u(2.6, 3.0)).set(`${o}_elbow`, b.u(2.2, 2.6)).set(`${o}_shoulder_twist`, 1.2);
    b.set("spine_twist", b.u(-1.0, 1.0)).set("neck_turn", b.u(-1.3, 1.3)).set("root_pitch", -0.2);
    b.set("root_yaw", (b.prng.uniform() < 0.5 ? -1 : 1) * b.u(0.6, 1.2));
    b.f = b.u(0.25, 0.45);
    b.add(`${s}_hip_flex`, 0.12).add("spine_twist", 0.2, 1, 1).add("neck_turn", 0.2, 1, 2);
  },
};
