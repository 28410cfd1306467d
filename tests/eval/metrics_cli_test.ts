import assert from "node:assert/strict";
import { main } from "../../lib/eval/cli/metrics_cli.ts";
import { loadVideo } from "../../lib/eval/cli/_load_video.ts";
import { fid, loadGraphModelNetwork, NETWORK_PRESETS, psnr, ssim, temporalFlickering, type Video } from "../../lib/eval/mod.ts";
import { initEngine } from "../../lib/engine/mod.ts";
import { writeTinyGraphModel } from "./_graph_model.ts";
import { writeSafetensors } from "../../lib/io/safetensors.ts";
import { encodePng } from "../../lib/io/png.ts";
import { Prng } from "../../lib/random/mod.ts";
import { assertClose } from "./_fixtures.ts";

/** Two 8-bit RGB videos of 3 frames, 16×20, the second a noisy copy of the first. */
function pair(): { pred: Video; ref: Video } {
  const prng = new Prng(7);
  const shape: Video["shape"] = [2, 3, 16, 20, 3];
  const size = shape.reduce((a, b) => a * b, 1);
  const ref = new Uint8Array(size);
  for (let i = 0; i < size; i++) ref[i] = (i * 7 + ((i / 60) | 0) * 3) & 0xff;
  const pred = ref.map((v) => Math.min(255, Math.max(0, v + prng.int(41) - 20)));
  return { pred: { data: pred, shape }, ref: { data: ref, shape } };
}

/** Silences console.log while running f. */
async function quiet<T>(f: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => {};
  try {
    return await f();
  } finally {
    console.log = log;
  }
}

Deno.test("metrics_cli reads safetensors (U8 and F32) and reports ssim, psnr, flicker as the library does", async () => {
  const dir = await Deno.makeTempDir();
  const { pred, ref } = pair();
  await writeSafetensors(`${dir}/pred.safetensors`, { video: { shape: pred.shape, data: pred.data as Uint8Array, dtype: "U8" } });
  await writeSafetensors(`${dir}/ref.safetensors`, {
    video: { shape: ref.shape, data: Float32Array.from(ref.data, (v) => v / 255) },
  });
  const m = await quiet(() =>
    main(["--pred", `${dir}/pred.safetensors`, "--ref", `${dir}/ref.safetensors`, "--metrics", "ssim,psnr,flicker", "--json"])
  );
  assert.deepEqual(Object.keys(m), ["ssim", "psnr", "flicker"]);
  assertClose(m.ssim, ssim(pred, ref), 1e-6);
  assertClose(m.psnr, psnr(pred, ref), 1e-6);
  assertClose(m.flicker, temporalFlickering(pred), 1e-12);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("metrics_cli reads folders of PNG frames (one sub-folder per video, natural frame order)", async () => {
  const dir = await Deno.makeTempDir();
  const { pred, ref } = pair();
  const [n, f, h, w] = pred.shape;
  for (const [name, v] of [["pred", pred], ["ref", ref]] as const) {
    for (let i = 0; i < n; i++) {
      await Deno.mkdir(`${dir}/${name}/clip${i}`, { recursive: true });
      for (let t = 0; t < f; t++) {
        const size = h * w * 3;
        const data = v.data.slice((i * f + t) * size, (i * f + t + 1) * size) as Uint8Array;
        // frame2 must come before frame10: names sorted naturally
        await Deno.writeFile(`${dir}/${name}/clip${i}/frame${[2, 10, 11][t]}.png`, await encodePng({ width: w, height: h, channels: 3, data }));
      }
    }
  }
  const loaded = await loadVideo(`${dir}/pred`, "pred");
  assert.deepEqual(loaded.shape, pred.shape);
  assert.deepEqual(loaded.data, pred.data);
  const m = await quiet(() => main(["--pred", `${dir}/pred`, "--ref", `${dir}/ref`, "--metrics", "psnr,ssim", "--json"]));
  assertClose(m.psnr, psnr(pred, ref), 1e-12);
  assertClose(m.ssim, ssim(pred, ref), 1e-12);
  // A single folder of frames is one video.
  assert.deepEqual((await loadVideo(`${dir}/ref/clip1`, "ref")).shape, [1, 3, 16, 20, 3]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("metrics_cli --fid-network loads a graph model with the FID preset and matches fid()", async () => {
  await initEngine({ backend: "cpu" });
  const dir = await Deno.makeTempDir();
  const model = await writeTinyGraphModel(dir);
  const { pred, ref } = pair();
  await writeSafetensors(`${dir}/pred.safetensors`, { video: { shape: pred.shape, data: pred.data as Uint8Array, dtype: "U8" } });
  await writeSafetensors(`${dir}/ref.safetensors`, { video: { shape: ref.shape, data: ref.data as Uint8Array, dtype: "U8" } });
  const m = await quiet(() =>
    main(["--pred", `${dir}/pred.safetensors`, "--ref", `${dir}/ref.safetensors`, "--metrics", "fid", "--fid-network", model, "--backend", "cpu"])
  );
  const network = await loadGraphModelNetwork(model, NETWORK_PRESETS.fid);
  assertClose(m.fid, await fid(pred, ref, { network }), 1e-9);
  assert.ok(m.fid > 0);
  network.dispose();
  await assert.rejects(() => quiet(() => main(["--pred", `${dir}/pred.safetensors`, "--ref", `${dir}/ref.safetensors`, "--metrics", "fvd"])), {
    message: /--fvd-network/,
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("metrics_cli fd prints the Fréchet distance of two feature files", async () => {
  const dir = await Deno.makeTempDir();
  const X = Array.from({ length: 8 }, (_, i) => Array.from({ length: 3 }, (_, j) => ((i * j + i) % 7) + 0.5 * j));
  const Y = Array.from({ length: 8 }, (_, i) => Array.from({ length: 3 }, (_, j) => ((i * i + 2 * j) % 5) + 0.25 * i));
  await writeSafetensors(`${dir}/a.safetensors`, { features: { shape: [8, 3], data: Float32Array.from(X.flat()) } });
  await writeSafetensors(`${dir}/b.safetensors`, { features: { shape: [8, 3], data: Float32Array.from(Y.flat()) } });
  const m = await quiet(() => main(["fd", "--a", `${dir}/a.safetensors`, "--b", `${dir}/b.safetensors`, "--json"]));
  assertClose(m.fd, 4.625621017940006, 1e-9);
  const biased = await quiet(() =>
    main(["fd", "--a", `${dir}/a.safetensors`, "--b", `${dir}/b.safetensors`, "--covariance", "biased"])
  );
  assertClose(biased.fd, 4.106012140697487, 1e-9);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("metrics_cli as a process prints one JSON object, with +Infinity PSNR as 1e999", async () => {
  const dir = await Deno.makeTempDir();
  const { ref } = pair();
  await writeSafetensors(`${dir}/ref.safetensors`, { video: { shape: ref.shape, data: ref.data as Uint8Array, dtype: "U8" } });
  const cli = new URL("../../lib/eval/cli/metrics_cli.ts", import.meta.url).pathname;
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "--pred", `${dir}/ref.safetensors`, "--ref", `${dir}/ref.safetensors`, "--metrics", "psnr,ssim", "--json"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(run.success, new TextDecoder().decode(run.stderr));
  const text = new TextDecoder().decode(run.stdout).trim();
  assert.equal(text, '{"psnr":1e999,"ssim":1}');
  assert.deepEqual(JSON.parse(text), { psnr: Infinity, ssim: 1 });
  const bad = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, "--pred", `${dir}/ref.safetensors`, "--metrics", "sharpness"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(bad.code, 1);
  assert.match(new TextDecoder().decode(bad.stderr), /Unknown metric "sharpness"/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("metrics_cli names the problem: missing key, missing ref, unknown input, video file without ffmpeg", async () => {
  const dir = await Deno.makeTempDir();
  await writeSafetensors(`${dir}/x.safetensors`, { frames: { shape: [1, 2, 11, 11, 3], data: new Float32Array(726) } });
  await assert.rejects(() => quiet(() => main(["--pred", `${dir}/x.safetensors`, "--metrics", "flicker"])), {
    name: "RangeError",
    message: /no tensor "video" \(it has frames\)/,
  });
  await assert.rejects(() => quiet(() => main(["--pred", `${dir}/x.safetensors`, "--metrics", "ssim"])), {
    name: "TypeError",
    message: /Missing --ref/,
  });
  await assert.rejects(() => loadVideo(`${dir}/nothing.safetensors`, "pred"), { name: "TypeError", message: /no file or folder/ });
  await Deno.writeFile(`${dir}/clip.mp4`, new Uint8Array(8));
  await assert.rejects(
    () => loadVideo(`${dir}/clip.mp4`, "pred", { ffmpeg: "ffmpeg-not-installed", ffprobe: "ffprobe-not-installed" }),
    { message: /apt-get install -y ffmpeg/ },
  );
  await Deno.remove(dir, { recursive: true });
});
