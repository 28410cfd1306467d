import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { fitBodyShape, retargetClipSpec } from "../../lib/pose/mod.ts";
import { bodyMaps, bodyShapeTensor, jointsTensor, poseBasis, shapeVector, SHAPE_FIELDS } from "../../lib/pose/_body_model.ts";
import { makeBodyShape } from "../../lib/synthetic/body_shape.ts";
import { forwardKinematics } from "../../lib/synthetic/forward_kinematics.ts";
import { generateClip } from "../../lib/synthetic/generate_clip.ts";
import { poseAt } from "../../lib/synthetic/motion.ts";
import { sampleClipSpec } from "../../lib/synthetic/sample_clip_spec.ts";
import { cameraAt } from "../../lib/synthetic/scene.ts";

await initEngine({ backend: "cpu" });
const PLAIN = { interaction: 0, lighting: 0, "rare-pose": 0, stylized: 0, "multi-character": 0, "camera-motion": 0 };

Deno.test("bodyShapeTensor() and the linear joint map equal makeBodyShape() and forwardKinematics()", () => {
  const params = { height: 1.31, chibi: 0.8, build: 0.7, legRatio: 1.07 };
  const spec = sampleClipSpec(11, { rates: PLAIN });
  const pose = poseAt(spec.persons[0].motion, 0.4);
  const truth = makeBodyShape(params);
  const maps = bodyMaps(poseBasis(pose, [0.2, -0.1]));
  const [shape, joints] = tf.tidy(() => {
    const s = shapeVector(bodyShapeTensor(tf.tensor1d([params.height, params.chibi, params.build, params.legRatio])));
    return [s.dataSync(), jointsTensor(s, maps).dataSync()];
  });
  maps.dispose();
  SHAPE_FIELDS.forEach((f, i) => assert.ok(Math.abs(shape[i] - truth[f]) < 1e-6, `${f}: ${shape[i]} vs ${truth[f]}`));
  const fk = forwardKinematics(truth, pose, { place: [0.2, -0.1] }).joints;
  let worst = 0;
  for (let k = 0; k < fk.length; k++) worst = Math.max(worst, Math.abs(joints[k] - fk[k]));
  assert.ok(worst < 1e-5, `largest joint difference ${worst} m`);
});

Deno.test("fitBodyShape() recovers a synthetic reference's shape and re-rendered conditions overlap the reference body better", () => {
  const S = 64;
  // Reference: frame 0 of a plain realistic clip (short hair, so the mask is the body's).
  const ref = sampleClipSpec(5, { rates: PLAIN });
  ref.persons[0].character.hair.style = "short";
  const truth = ref.persons[0].character.shape;
  const clip = generateClip(ref, { frames: 1, height: S, width: S });
  const p = ref.persons[0];
  // Driving body: another character's shape (the unaligned start).
  const driving = { height: 1.95, chibi: 0, build: 0.05, legRatio: 1.12 };
  const before = tf.memory().numTensors;
  const fit = fitBodyShape(
    { keypoints: clip.keypoints, visibility: clip.visibility, silhouette: clip.mask },
    {
      pose: poseAt(p.motion, 0),
      place: p.place,
      camera: cameraAt(ref.camera, 0, { width: S, height: S }),
      init: driving,
      steps: 60,
      learningRate: 0.1,
    },
  );
  assert.equal(tf.memory().numTensors, before);
  // Measured (seed 5, 64 px, 60 steps): height 1.747 vs 1.765 m, build 0.858 vs 0.884, legRatio 0.914 vs 0.932,
  // chibi 0.043 vs 0.000; IoU with the reference mask 0.64 → 0.79; body-condition IoU 0.49 unaligned → 0.90 aligned.
  assert.ok(Math.abs(fit.params.height - truth.height) < 0.04, `height ${fit.params.height} vs ${truth.height}`);
  assert.ok(Math.abs(fit.params.build - truth.build) < 0.2, `build ${fit.params.build} vs ${truth.build}`);
  assert.ok(Math.abs(fit.params.legRatio - truth.legRatio!) < 0.05, `legRatio ${fit.params.legRatio} vs ${truth.legRatio}`);
  assert.ok(Math.abs(fit.params.chibi - truth.chibi) < 0.15, `chibi ${fit.params.chibi} vs ${truth.chibi}`);
  assert.ok(fit.iouAfter > fit.iouBefore + 0.05, `IoU ${fit.iouBefore} → ${fit.iouAfter}`);
  assert.ok(fit.losses.at(-1)! < fit.losses[0]);

  // Driving conditions: another clip's motion performed by the driving body, re-rendered with the fitted shape.
  const drive = structuredClone(ref);
  drive.persons[0].motion = sampleClipSpec(9, { rates: PLAIN }).persons[0].motion;
  drive.persons[0].character.shape = driving;
  const size = { frames: 5, height: S, width: S };
  const body = (spec: typeof ref) => generateClip(spec, size).poses.body;
  const unaligned = body(drive), aligned = body(retargetClipSpec(drive, { 0: fit.params })), target = body(retargetClipSpec(drive, { 0: truth }));
  const iou = (a: Float32Array, b: Float32Array) => {
    let i = 0, u = 0;
    for (let k = 0; k < a.length; k += 3) {
      const x = a[k] + a[k + 1] + a[k + 2] > 0, y = b[k] + b[k + 1] + b[k + 2] > 0;
      if (x && y) i++;
      if (x || y) u++;
    }
    return i / u;
  };
  const iouUnaligned = iou(unaligned, target), iouAligned = iou(aligned, target);
  assert.ok(iouAligned > iouUnaligned + 0.1, `IoU with the reference body: unaligned ${iouUnaligned}, aligned ${iouAligned}`);
  assert.ok(iouAligned > 0.8, `aligned IoU ${iouAligned}`);
});

Deno.test("retargetClipSpec() rejects unknown persons and out-of-range shapes, and copies the spec", () => {
  const spec = sampleClipSpec(3);
  assert.throws(() => retargetClipSpec(spec, { 7: { height: 1.6, chibi: 0, build: 0.5 } }), /Cannot retarget person 7/);
  assert.throws(() => retargetClipSpec(spec, { 0: { height: 9, chibi: 0, build: 0.5 } }), /height must be in \[0.5, 2.5\]/);
  const h = spec.persons[0].character.shape.height;
  retargetClipSpec(spec, { 0: { height: 2.0, chibi: 0, build: 0.5 } });
  assert.equal(spec.persons[0].character.shape.height, h);
});
