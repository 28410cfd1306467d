import assert from "node:assert/strict";
import { generateClip, MAX_OBJECT_PARTS } from "../../lib/synthetic/generate_clip.ts";
import { JOINTS, LEFT_HAND, RIGHT_HAND } from "../../lib/synthetic/forward_kinematics.ts";
import { ballAt, ballBounces, type BallSpec, GRAVITY } from "../../lib/synthetic/objects.ts";
import { sampleClipSpec } from "../../lib/synthetic/sample_clip_spec.ts";
import type { Category, ClipSpec } from "../../lib/synthetic/clip_spec.ts";

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} != ${b} (tol ${tol})`);

Deno.test("ballBounces() drops from rest in sqrt(2h/g) and rebounds at e times the impact speed", () => {
  const ball: BallSpec = { radius: 0.1, color: "red", p0: [0, 1.1, 0], v0: [0, 0, 0], restitution: 0.5 };
  const b = ballBounces(ball, 5);
  close(b[0].t, Math.sqrt(2 * 1 / GRAVITY), 1e-12, "first contact");
  close(b[0].vIn, -Math.sqrt(2 * GRAVITY * 1), 1e-12, "impact speed");
  close(b[0].vOut, 0.5 * Math.sqrt(2 * GRAVITY * 1), 1e-12, "rebound");
  // Second flight lasts 2·v/g, apex height (v²/2g) = e²·h.
  close(b[1].t - b[0].t, 2 * b[0].vOut / GRAVITY, 1e-12, "flight time");
  const apex = ballAt(ball, b[0].t + b[0].vOut / GRAVITY, { bounces: b }).pos[1] - ball.radius;
  close(apex, 0.25 * 1, 1e-12, "apex");
  // Eventually it rests on the floor.
  assert.equal(b.at(-1)!.vOut, 0);
  assert.equal(ballAt(ball, 4.9, { bounces: b }).pos[1], ball.radius);
});

Deno.test("ballAt() never puts the ball below the floor and moves it at constant horizontal speed", () => {
  const ball: BallSpec = { radius: 0.12, color: "blue", p0: [-0.3, 0.9, 0.5], v0: [0.4, 1.5, -0.1], restitution: 0.8 };
  const b = ballBounces(ball, 6);
  assert.ok(b.length >= 3);
  for (let i = 0; i <= 6000; i++) {
    const t = i / 1000;
    const { pos } = ballAt(ball, t, { bounces: b });
    assert.ok(pos[1] >= ball.radius - 1e-9, `ball centre at ${pos[1]} below radius at t=${t}`);
    close(pos[0], -0.3 + 0.4 * t, 1e-12);
    close(pos[2], 0.5 - 0.1 * t, 1e-12);
  }
  assert.throws(() => ballBounces({ ...ball, p0: [0, 0.05, 0] }, 1), /below the floor/);
  assert.throws(() => ballBounces({ ...ball, restitution: 1.2 }, 1), /restitution must be in \(0, 1\): received 1.2/);
});

/** First seeds whose spec satisfies a predicate. */
function findSpec(pred: (s: ClipSpec) => boolean, require: Category[]): ClipSpec {
  for (let seed = 0; seed < 500; seed++) {
    const s = sampleClipSpec(seed, { require });
    if (pred(s)) return s;
  }
  throw new Error("no spec found");
}

Deno.test("a held object stays rigidly attached to its hand across frames", () => {
  const spec = findSpec((s) => s.persons.some((p) => p.object !== null), ["interaction"]);
  const clip = generateClip(spec, { frames: 17, height: 32, width: 32 });
  const F = clip.frames, P = clip.persons, NJ = JOINTS.length;
  const p = spec.persons.findIndex((x) => x.object !== null);
  const base = spec.persons[p].object!.hand === "left" ? LEFT_HAND : RIGHT_HAND;
  const handPoints = [0, 5, 9, 17].map((k) => base + k); // wrist and three knuckles
  const at = (a: Float32Array, i: number) => [a[i], a[i + 1], a[i + 2]];
  const dist = (u: number[], v: number[]) => Math.hypot(u[0] - v[0], u[1] - v[1], u[2] - v[2]);
  let handTravel = 0;
  const first: number[] = [];
  for (let f = 0; f < F; f++) {
    const ends: number[][] = [];
    for (let e = 0; e < MAX_OBJECT_PARTS * 2; e++) {
      const v = at(clip.meta.objectParts, ((f * P + p) * MAX_OBJECT_PARTS * 2 + e) * 3);
      if (!Number.isNaN(v[0])) ends.push(v);
    }
    assert.ok(ends.length >= 4, "object has at least two capsules");
    const hand = handPoints.map((j) => at(clip.meta.joints3d, ((f * P + p) * NJ + j) * 3));
    const ds = ends.flatMap((e) => hand.map((h) => dist(e, h)));
    if (f === 0) first.push(...ds);
    else {
      ds.forEach((d, i) => close(d, first[i], 2e-5, "object-to-hand distance"));
      handTravel = Math.max(handTravel, dist(hand[0], at(clip.meta.joints3d, (p * NJ + handPoints[0]) * 3)));
    }
  }
  assert.ok(handTravel > 0.02, `the hand must move for the test to mean something (moved ${handTravel} m)`);
});

Deno.test("the ball in a clip stays above the floor in every frame", () => {
  const spec = findSpec((s) => s.ball !== null, ["interaction"]);
  const clip = generateClip(spec, { frames: 17, height: 32, width: 32 });
  let moved = 0;
  for (let f = 0; f < clip.frames; f++) {
    const y = clip.meta.ball[f * 3 + 1];
    assert.ok(y >= spec.ball!.radius - 1e-6, `ball centre ${y} below its radius at frame ${f}`);
    moved = Math.max(moved, Math.abs(y - clip.meta.ball[1]));
  }
  assert.ok(moved > 0.05, "the ball moves vertically");
  // The ball is drawn: some pixels carry its label.
  assert.ok(clip.meta.labels.some((l) => l === 9));
});

Deno.test("held objects stay above the floor (no handstands while holding, broom held mid-stick)", () => {
  let clips = 0;
  for (let seed = 0; clips < 40; seed++) {
    const spec = sampleClipSpec(seed, { require: ["interaction"] });
    const p = spec.persons.findIndex((x) => x.object !== null);
    if (p < 0) continue;
    clips++;
    assert.notEqual(spec.persons[p].motion.kind, "handstand");
    const clip = generateClip(spec, { frames: 9, height: 8, width: 8 });
    for (let f = 0; f < clip.frames; f++) {
      for (let e = 0; e < MAX_OBJECT_PARTS * 2; e++) {
        const y = clip.meta.objectParts[((f * clip.persons + p) * MAX_OBJECT_PARTS * 2 + e) * 3 + 1];
        if (!Number.isNaN(y)) assert.ok(y >= 0, `seed ${seed}: ${spec.persons[p].object!.kind} end at y = ${y}`);
      }
    }
  }
});
