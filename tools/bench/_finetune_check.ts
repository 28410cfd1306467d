/**
 * Before `deno task bench --case finetune` times anything against PyTorch:
 * the PyTorch reference (finetune_step_torch.py) must compute the same
 * function as the workbench's concat design for the same weights and inputs:
 * the velocity, the loss and the gradient of every trainable parameter, each
 * to a relative error (max |ours − torch| / max |torch|) below 1e-4.
 * Otherwise the comparison would time two different steps, so a mismatch
 * throws {@link FinetuneCheckError} naming every tensor off and by how much.
 *
 * The check redraws every parameter first (weights N(0, 1/fan-in), norm
 * weights 1 + N(0, 0.04), biases and modulations N(0, 1/fan-in)): at Wan's
 * and the design's initialisation the head and the pose projection are zero,
 * which would make most gradients zero on both sides and prove nothing.
 *
 * References: RealisDance-DiT (arXiv 2504.14977) §3; damo-cv/RealisDance
 * `src/models/rd_dit.py` (the concat design).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { readSafetensors, writeSafetensors } from "../../lib/io/safetensors.ts";
import { Prng } from "../../lib/random/mod.ts";
import type { FinetuneStepInputs } from "./_finetune_step_inputs.ts";

/** What {@link finetuneCheck} found. */
export interface FinetuneCheck {
  /** The tolerance held to. */
  tolerance: number;
  /** Tensors compared: the velocity, the loss and one gradient per trainable parameter. */
  tensors: number;
  /** The largest relative error and where. */
  max_rel_err: number;
  worst: string;
  loss: { ours: number; torch: number };
}

/** The PyTorch reference computed a different step. */
export class FinetuneCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FinetuneCheckError";
  }
}

/** Options of {@link finetuneCheck}. */
export interface FinetuneCheckOptions {
  /** Largest relative error allowed (default 1e-4). */
  tolerance?: number;
  /** OPENBLAS_CORETYPE for the reference, as the benchmark's engine uses. */
  coreType?: string;
}

/** max |a − b| / max |b|. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale > 0 ? diff / scale : diff;
}

/**
 * @param step the finetune step on the engine being benchmarked (its parameters are overwritten: use a throw-away one)
 * @param options tolerance and core type
 * @returns the largest error found, when every tensor is within the tolerance
 * @throws {FinetuneCheckError} when a tensor is off, a gradient is missing on one side, or the reference fails
 * @example
 * ```ts ignore
 * const step = finetuneStepInputs(getPreset("wan-toy"), { batch: 8, latent: [3, 8, 8], channels: 16, seed: 0 });
 * const check = await finetuneCheck(step);
 * step.dispose();
 * ```
 */
export async function finetuneCheck(
  step: FinetuneStepInputs,
  options: FinetuneCheckOptions = {},
): Promise<FinetuneCheck> {
  const tolerance = options.tolerance ?? 1e-4;
  const { cfg, params, trainable, batch } = step;
  const prng = new Prng(7);
  for (const [name, p] of Object.entries(params)) {
    const fanIn = p.rank >= 2 ? p.size / p.shape[0] : 1;
    const norm = /norm/.test(name) && name.endsWith(".weight");
    const v = prng.normals(p.size).map((x) => (norm ? 1 + 0.2 * x : x / Math.sqrt(fanIn)));
    tf.tidy(() => p.assign(tf.tensor(v, p.shape)));
  }
  const v = tf.tidy(() => step.forward());
  const { value, grads } = step.gradients();
  const host = async (t: tf.Tensor) => ({ shape: t.shape, data: (await t.data()) as Float32Array });
  const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [n, p] of Object.entries(params)) tensors[n] = await host(p);
  const inputs = {
    __x0: await host(batch.x0),
    __noise: await host(batch.noise),
    __sigma: { shape: [batch.sigma.length], data: batch.sigma },
    __context: await host(batch.context),
    __reference: await host(batch.reference),
    __pose: await host(batch.pose),
  };
  const ours: Record<string, Float32Array> = { __v: (await host(v)).data, __loss: (await host(value)).data };
  for (const n of trainable) ours[n] = (await host(grads[n])).data;
  tf.dispose([v, value, ...Object.values(grads)]);

  const dir = await Deno.makeTempDir({ prefix: "finetune_check_" });
  try {
    await writeSafetensors(`${dir}/in.safetensors`, { ...tensors, ...inputs });
    const script = new URL("./finetune_step_torch.py", import.meta.url).pathname;
    const env: Record<string, string> = {};
    if (options.coreType) env.OPENBLAS_CORETYPE = options.coreType;
    const args = [script, "--threads", "1", "--channels", String(cfg.in_dim), "--config", JSON.stringify(cfg)];
    const r = await new Deno.Command("/usr/bin/python3", {
      args: [...args, "--check", `${dir}/in.safetensors`, `${dir}/out.safetensors`],
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!r.success) {
      throw new FinetuneCheckError(
        `Cannot check the PyTorch reference as finetune_step_torch.py --check failed: ${
          new TextDecoder().decode(r.stderr).trim()
        }`,
      );
    }
    const torch = (await readSafetensors(`${dir}/out.safetensors`)).tensors;
    const names = ["__v", "__loss", ...trainable];
    const extra = Object.keys(torch).filter((n) => !names.includes(n));
    const missing = names.filter((n) => !(n in torch));
    if (extra.length || missing.length) {
      throw new FinetuneCheckError(
        `Cannot check the PyTorch reference as its trainable set differs from resolveTrainable's: ` +
          `missing in torch [${missing.join(", ")}], extra in torch [${extra.join(", ")}]`,
      );
    }
    const errs = names.map((n) => [n, relErr(ours[n], torch[n].data)] as const).sort((a, b) => b[1] - a[1]);
    const off = errs.filter(([, e]) => !(e <= tolerance));
    if (off.length > 0) {
      throw new FinetuneCheckError(
        `The PyTorch reference of the finetune step differs from the workbench's model: ${off.length} of ${names.length} tensors ` +
          `exceed the relative error ${tolerance}: ${off.map(([n, e]) => `${n} ${e.toExponential(2)}`).join(", ")}`,
      );
    }
    return {
      tolerance,
      tensors: names.length,
      max_rel_err: errs[0][1],
      worst: errs[0][0],
      loss: { ours: ours.__loss[0], torch: torch.__loss.data[0] },
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
