/**
 * The webgpu backend against the cpu backend, on whatever WebGPU adapter the
 * machine has (in CI: lavapipe, Mesa's software Vulkan device). Deno cannot
 * take `--unstable-webgpu` per test file, so each check runs as
 * `deno run --unstable-webgpu -A tests/engine/webgpu/_check_*.ts` with
 * XDG_RUNTIME_DIR set, and prints one JSON line parsed here. Skipped, with
 * the reason recorded, only when no WebGPU adapter can be had at all; as
 * root, where the tests install lavapipe themselves, that is a failure.
 */
import assert from "node:assert/strict";
import { RESULT_PREFIX } from "./_check_util.ts";
import { runWebGpuScript, vulkanAdapter } from "./_vulkan.ts";
import { skipWhen } from "../../_skip.ts";

const device = await vulkanAdapter();
const ignore = skipWhen(device.ok ? null : device.reason, {
  dependency: "A WebGPU adapter (lavapipe, mesa-vulkan-drivers)",
  installedByTestTask: Deno.uid() === 0,
});

// deno-lint-ignore no-explicit-any
async function check(script: string, args: string[] = []): Promise<any> {
  const r = await runWebGpuScript(`tests/engine/webgpu/${script}`, args);
  const line = r.stdout.split("\n").findLast((l) => l.startsWith(RESULT_PREFIX));
  assert.ok(r.success && line, `${script} failed (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length));
}

/** One run of the kernel checks serves two tests. */
let kernels: Promise<unknown> | null = null;
// deno-lint-ignore no-explicit-any
const kernelChecks = (): Promise<any> => (kernels ??= check("_check_kernels.ts"));

Deno.test({
  name: "webgpu: our kernels (Transpose > rank 6; Tile, Reverse, Select, PadV2 > rank 4; AddN; x·Wᵀ; Fill) equal cpu's",
  ignore,
  fn: async () => {
    const r = await kernelChecks();
    for (const [name, e] of Object.entries(r.kernels) as [string, { forward: number; gradient: number }][]) {
      assert.ok(e.forward <= 1e-6 && e.gradient <= 1e-6, `${name}: ${JSON.stringify(e)}`);
    }
    assert.deepEqual(r.resizeGrad, [14, 22, 46, 54, 78, 86, 110, 118]);
    assert.deepEqual(r.selectRows, [0, 1, -2, -3, 4, 5, -6, -7]);
    assert.deepEqual(r.smallFill, [250, 250, 250]);
    assert.equal(r.bigSum, 3000);
  },
});

Deno.test({
  name: "webgpu: oversized tensors, shader errors and synchronous GPU reads raise clear errors",
  ignore,
  fn: async () => {
    const r = await kernelChecks();
    assert.equal(
      r.guard.output,
      "Cannot run BatchMatMul (MatMulPackedProgram) output [1,1024,512] on webgpu as it needs 2097152 bytes " +
        "(2.0 MiB), more than the device's maxStorageBufferBindingSize of 1048576 bytes (1.0 MiB): use a smaller " +
        "batch, resolution or sequence, or the cpu/blas backend",
    );
    assert.match(
      r.guard.input,
      /^Cannot run Sum \(ReduceProgram\) input x \[1024,1024\] on webgpu as it needs 4194304 bytes/,
    );
    assert.equal(r.fits, 8388608);
    assert.match(
      r.deviceError,
      /^WebGPU reported \d+ validation error\(s\); tensors computed since are invalid: .*this_is_not_wgsl/,
    );
    assert.match(
      r.syncReadError,
      /^Cannot read a \[2000\] tensor synchronously on the webgpu backend .* use await tensor\.data\(\)/,
    );
  },
});

Deno.test({
  name: "webgpu: wan-smoke and wan-bench forward and every parameter's gradient equal the cpu backend's to 1e-4",
  ignore,
  fn: async () => {
    const r = await check("_check_model.ts");
    const counts: Record<string, number> = { "wan-smoke": 69, "wan-bench": 123 };
    for (const [name, m] of Object.entries(r.models) as [string, Record<string, number & string>][]) {
      assert.ok(m.forwardRelErr < 1e-4, `${name} forward ${m.forwardRelErr}`);
      assert.ok(m.gradRelErr < 1e-4, `${name} gradient of ${m.gradWorst}: ${m.gradRelErr}`);
      assert.equal(m.gradCount, counts[name]);
      assert.equal(m.paramCount, counts[name]);
      assert.ok(Math.abs(m.lossWebgpu - m.lossCpu) <= 1e-5 * Math.abs(m.lossCpu), `${m.lossWebgpu} vs ${m.lossCpu}`);
    }
    // initEngine({ backend: "webgpu" }) records the adapter (in every run's config.json).
    assert.equal(r.adapter.description, device.ok ? device.adapter.description : "");
    assert.ok(r.adapter.limits.maxStorageBufferBindingSize > 0 && r.adapter.limits.maxBufferSize > 0);
  },
});

Deno.test({
  name: "webgpu: every design's forward and gradients equal the cpu backend's to 1e-4 relative",
  ignore,
  fn: async () => {
    const r = await check("_check_designs.ts");
    assert.deepEqual(Object.keys(r.designs), ["reference-net", "light-reference-net", "full-finetune", "part-finetune-frame-shift"]);
    for (const [name, d] of Object.entries(r.designs) as [string, Record<string, number & number[]>][]) {
      assert.ok(d.lossRelErr < 1e-5, `${name} loss ${d.lossRelErr}`);
      assert.ok(d.gradRelErr < 1e-4, `${name} gradient of ${d.gradWorst}: ${d.gradRelErr}`);
      assert.equal(d.noGrad[0], d.noGrad[1], `${name}: parameters without a gradient differ`);
    }
  },
});

Deno.test({
  name: "webgpu: VAE loss gradients, Euler/UniPC sampling with guidance and tensor metrics equal the cpu backend's",
  ignore,
  fn: async () => {
    const r = await check("_check_pipeline.ts");
    assert.ok(r.vae.lossRelErr < 1e-5 && r.vae.decodedRelErr < 1e-4, JSON.stringify(r.vae));
    assert.ok(r.vae.gradRelErr < 1e-4, `VAE gradient of ${r.vae.gradWorst}: ${r.vae.gradRelErr}`);
    assert.equal(r.vae.gradCount, 122);
    assert.ok(r.sampler.euler < 1e-4 && r.sampler.unipc < 1e-4, JSON.stringify(r.sampler));
    assert.ok(r.metrics.fidRelErr < 1e-4 && r.metrics.lpipsRelErr < 1e-4, JSON.stringify(r.metrics));
  },
});

Deno.test({
  name:
    "webgpu: 5 trainLoop steps match the cpu backend's losses to 1e-5 and 100 steps hold tensors and bytes constant",
  ignore,
  fn: async () => {
    const r = await check("_check_train.ts", ["5", "100"]);
    assert.equal(r.lossesWebgpu.length, 5);
    assert.ok(r.maxLossRelErr < 1e-5, `losses ${r.lossesWebgpu} vs ${r.lossesCpu}`);
    assert.ok(r.maxGradNormRelErr < 1e-4, `gradient norms differ by ${r.maxGradNormRelErr}: cpu ${r.gradNormsCpu}`);
    assert.ok(r.paramRelErr < 1e-3, `parameter ${r.paramWorst}: ${r.paramRelErr}`);
    const m = r.memory as { tensors: number; bytes: number; gpuBytes: number }[];
    assert.equal(m.length, 100);
    assert.ok(r.memoryLosses.every(Number.isFinite));
    for (const s of m.slice(1)) {
      assert.equal(s.tensors, m[1].tensors, "live tensors grew");
      assert.equal(s.bytes, m[1].bytes, "live bytes grew");
    }
    assert.ok(m[99].gpuBytes <= m[9].gpuBytes, `GPU bytes grew from ${m[9].gpuBytes} to ${m[99].gpuBytes}`);
  },
});

type Series = [number, number][];
interface SmokeSide {
  backend: string;
  metrics: Record<string, number | string>;
  vaeLoss: Series;
  ditLoss: Series;
  ditGradNorm: Series;
  valLoss: Series;
  files: string[];
}

/** Largest |webgpu − cpu| / |cpu| over a logged series; the steps must be the same. */
function seriesRelErr(gpu: Series, cpu: Series, what: string): number {
  assert.deepEqual(gpu.map(([s]) => s), cpu.map(([s]) => s), `${what}: logged steps differ`);
  return Math.max(0, ...cpu.map(([, v], i) => Math.abs(gpu[i][1] - v) / Math.abs(v)));
}

// Measured on lavapipe (4 DiT steps, 2 fine-tuning steps): losses and validation losses ≤ 1.6e-6 relative,
// gradient norms ≤ 2e-6, PSNR 2.8e-6 dB, SSIM 3.5e-7, flicker 1e-7. The bounds leave a 5–30× margin for
// other devices' float32 rounding; a wrong kernel moves these by orders of magnitude more.
const LOSS_REL = 1e-5, NORM_REL = 1e-4, PSNR_DB = 1e-4, UNIT_ABS = 1e-5;

Deno.test({
  name: "webgpu: the smoke pipeline (VAE, DiT pretraining, validation, sampling, scores) and an animate run match cpu",
  ignore,
  fn: async () => {
    const r = await check("_check_smoke_run.ts");
    const expected = {
      pretrain: { vae: [1, 2, 3], dit: [1, 2, 3, 4], val: [2, 4] },
      animate: { vae: [], dit: [1, 2], val: [1, 2] },
    };
    for (const task of ["pretrain", "animate"] as const) {
      const cpu: SmokeSide = r[task].cpu, gpu: SmokeSide = r[task].webgpu;
      assert.equal(cpu.backend, "cpu");
      assert.equal(gpu.backend, "webgpu");
      assert.deepEqual(gpu.files, cpu.files, `${task}: files written`);
      assert.deepEqual(cpu.vaeLoss.map(([s]) => s), expected[task].vae);
      assert.deepEqual(cpu.ditLoss.map(([s]) => s), expected[task].dit);
      assert.deepEqual(cpu.valLoss.map(([s]) => s), expected[task].val);
      const errs = {
        vae: seriesRelErr(gpu.vaeLoss, cpu.vaeLoss, `${task} VAE loss`),
        dit: seriesRelErr(gpu.ditLoss, cpu.ditLoss, `${task} DiT loss`),
        val: seriesRelErr(gpu.valLoss, cpu.valLoss, `${task} validation loss`),
        norm: seriesRelErr(gpu.ditGradNorm, cpu.ditGradNorm, `${task} gradient norm`),
      };
      const msg = `${task}: ${JSON.stringify(errs)}`;
      assert.ok(errs.vae <= LOSS_REL && errs.dit <= LOSS_REL && errs.val <= LOSS_REL, msg);
      assert.ok(errs.norm <= NORM_REL, msg);
      const m = (side: SmokeSide, k: string) => side.metrics[k] as number;
      for (const k of ["final_loss", "final_val_loss"]) {
        assert.ok(
          Math.abs(m(gpu, k) - m(cpu, k)) <= LOSS_REL * Math.abs(m(cpu, k)),
          `${task} ${k}: ${m(gpu, k)} vs ${m(cpu, k)}`,
        );
      }
      for (
        const [k, tol] of [["vae_recon_psnr", PSNR_DB], ["psnr", PSNR_DB], ["ssim", UNIT_ABS], [
          "flicker",
          UNIT_ABS,
        ]] as const
      ) {
        assert.ok(Number.isFinite(m(cpu, k)), `${task} ${k} on cpu: ${m(cpu, k)}`);
        assert.ok(Math.abs(m(gpu, k) - m(cpu, k)) <= tol, `${task} ${k}: ${m(gpu, k)} vs ${m(cpu, k)}`);
      }
    }
    assert.equal(r.animate.webgpu.metrics.design, "reference-net");
  },
});
