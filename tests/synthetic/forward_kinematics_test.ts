import assert from "node:assert/strict";
import { makeBodyShape } from "../../lib/synthetic/body_shape.ts";
import { DOF, forwardKinematics, J, joint, POSE_DOFS } from "../../lib/synthetic/forward_kinematics.ts";
import { MOTION_FAMILIES, poseAt, sampleMotion } from "../../lib/synthetic/motion.ts";
import { Prng } from "../../lib/random/mod.ts";

const shape = makeBodyShape({ height: 1.75, chibi: 0, build: 0.5 });
const rest = () => new Float64Array(POSE_DOFS.length);
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b} (tol ${tol})`);

Deno.test("makeBodyShape() gives 7.5 heads for realistic and 2.6 for chibi proportions", () => {
  close(shape.height / (2 * shape.headRadius), 7.5, 1e-12);
  const chibi = makeBodyShape({ height: 1.2, chibi: 1, build: 0.5 });
  close(chibi.height / (2 * chibi.headRadius), 2.6, 1e-12);
  assert.throws(() => makeBodyShape({ height: 3, chibi: 0, build: 0 }), RangeError);
  assert.throws(() => makeBodyShape({ height: 1.7, chibi: 1.5, build: 0 }), /chibi must be in \[0, 1\]: received 1.5/);
});

Deno.test("forwardKinematics() stands the rest pose on the floor with the head at the summed segment lengths", () => {
  const s = forwardKinematics(shape, rest());
  // Lowest surface: heels/toes 0.55·ankleHeight below the ankle, minus the foot radius.
  const expectedHead = shape.thigh + shape.shin + 0.55 * shape.ankleHeight + shape.footRadius + shape.torsoLength +
    shape.neckLength + shape.headRadius;
  close(joint(s, J.head)[1], expectedHead, 1e-12);
  close(joint(s, J.left_heel)[1] - shape.footRadius, 0, 1e-12);
  // Character faces +z, its left side is +x.
  assert.ok(joint(s, J.left_shoulder)[0] > 0 && joint(s, J.right_shoulder)[0] < 0);
  assert.ok(joint(s, J.nose)[2] > joint(s, J.head)[2]);
  close(joint(s, J.left_shoulder)[0], shape.shoulderHalfWidth, 1e-12);
});

Deno.test("forwardKinematics() raises the left arm sideways to shoulder height for shoulder_raise = π/2", () => {
  const p = rest();
  p[DOF.l_shoulder_raise] = Math.PI / 2;
  const s = forwardKinematics(shape, p);
  const sh = joint(s, J.left_shoulder), wr = joint(s, J.left_wrist);
  close(wr[0] - sh[0], shape.upperArm + shape.forearm, 1e-12);
  close(wr[1], sh[1], 1e-12);
  close(wr[2], sh[2], 1e-12);
});

Deno.test("forwardKinematics() keeps bone lengths under any pose", () => {
  const prng = new Prng(3);
  for (let trial = 0; trial < 20; trial++) {
    const p = Float64Array.from(POSE_DOFS, () => (prng.uniform() - 0.5) * 3);
    const s = forwardKinematics(shape, p);
    const d = (a: number, b: number) => Math.hypot(...joint(s, a).map((x, i) => x - joint(s, b)[i]));
    close(d(J.left_shoulder, J.left_elbow), shape.upperArm, 1e-9);
    close(d(J.right_elbow, J.right_wrist), shape.forearm, 1e-9);
    close(d(J.left_hip, J.left_knee), shape.thigh, 1e-9);
    close(d(J.right_knee, J.right_ankle), shape.shin, 1e-9);
    // Grounded: feet and head surfaces stay above the floor and something touches it.
    for (const j of [J.left_heel, J.left_toe, J.right_heel, J.right_toe]) {
      assert.ok(joint(s, j)[1] - shape.footRadius > -1e-9);
    }
    assert.ok(joint(s, J.head)[1] - shape.headRadius > -1e-9);
    let low = Infinity;
    for (let j = 0; j < s.joints.length / 3; j++) low = Math.min(low, s.joints[j * 3 + 1]);
    assert.ok(low <= Math.max(shape.headRadius, shape.chestRadius, shape.hipRadius) + 1e-9, `lowest joint at ${low}`);
  }
});

Deno.test("poseAt() is smooth: no DOF changes faster than 8 rad/s (checked every 1/256 s)", () => {
  const dt = 1 / 256;
  for (const family of MOTION_FAMILIES) {
    const prng = new Prng(11);
    for (let k = 0; k < 15; k++) {
      const m = sampleMotion(prng, { family });
      let prev = poseAt(m, -0.5);
      for (let i = 1; i <= 3 * 256; i++) {
        const cur = poseAt(m, -0.5 + i * dt);
        for (let d = 0; d < cur.length; d++) {
          const rate = Math.abs(cur[d] - prev[d]) / dt;
          assert.ok(rate < 8, `${m.kind} ${POSE_DOFS[d]} moves at ${rate} rad/s at t=${-0.5 + i * dt}`);
        }
        prev = cur;
      }
    }
  }
});

Deno.test("sampleMotion() with a gripping hand closes that hand and bends its elbow", () => {
  const m = sampleMotion(new Prng(5), { family: "daily", kind: "wave", grip: "right" });
  const p = poseAt(m, 0.7);
  assert.ok(p[DOF.r_fingers] > 1.0 && p[DOF.r_elbow] >= 0.9);
  assert.throws(
    () => sampleMotion(new Prng(5), { family: "rare", kind: "wave" }),
    /Cannot sample motion kind "wave" in family rare/,
  );
});
