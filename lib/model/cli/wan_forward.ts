/**
 * Runs a Wan DiT checkpoint (Wan or diffusers naming) on inputs from a
 * safetensors file and writes the prediction:
 *
 *   deno run -A lib/model/cli/wan_forward.ts --checkpoint DIR --inputs IN.safetensors --out OUT.safetensors [--backend auto|cpu|wasm|blas]
 *
 * DIR holds config.json and diffusion_pytorch_model.safetensors. IN holds
 * `x` [C, F, H, W], `t` [1] (0..1000) and `context` [L, text_dim] (or batched:
 * x [B, C, F, H, W], t [B], context [B, L, text_dim]). OUT gets `out` with x's
 * layout ([C_out, F, H, W] or [B, C_out, F, H, W]), float32.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py` (`WanModel.forward`,
 * inputs x: list of [C, F, H, W], t: [B], context: list of [L, C]).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../engine/mod.ts";
import { readSafetensors, writeSafetensors } from "../../io/safetensors.ts";
import { loadWanCheckpoint } from "../load_wan_checkpoint.ts";
import { wanForward } from "../wan_forward.ts";

const USAGE = "usage: wan_forward.ts --checkpoint DIR --inputs IN.safetensors --out OUT.safetensors [--backend NAME]";

/**
 * @param args command-line arguments
 * @returns resolves when OUT is written
 * @example
 * ```ts
 * import { main } from "./wan_forward.ts";
 * const dir = "tests/fixtures/wan/smoke";
 * await main(["--checkpoint", dir, "--inputs", `${dir}/inputs.safetensors`, "--out", `${await Deno.makeTempDir()}/out.safetensors`]);
 * ```
 */
export async function main(args: string[]): Promise<void> {
  const opts = parseArgs(args);
  await initEngine({ backend: (opts.backend ?? "auto") as "auto" });
  const started = performance.now();
  const model = await loadWanCheckpoint(opts.checkpoint, { trainable: false });
  const { tensors } = await readSafetensors(opts.inputs);
  for (const key of ["x", "t", "context"]) {
    if (!tensors[key]) {
      throw new RangeError(`Cannot run: ${opts.inputs} has no tensor "${key}" (expected x, t, context)`);
    }
  }
  const batched = tensors.x.shape.length === 5;
  const x = tf.tensor(tensors.x.data, batched ? tensors.x.shape : [1, ...tensors.x.shape]);
  const context = tf.tensor(tensors.context.data, batched ? tensors.context.shape : [1, ...tensors.context.shape]);
  const out = wanForward(model, { x, t: tensors.t.data, context });
  const shape = batched ? out.shape : out.shape.slice(1);
  await writeSafetensors(opts.out, { out: { shape, data: (await out.data()) as Float32Array } });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.error(
    `wan_forward: ${model.format} checkpoint ${opts.checkpoint} → ${opts.out} out [${shape}] in ${seconds} s`,
  );
  tf.dispose([x, context, out, ...Object.values(model.params)]);
}

function parseArgs(args: string[]): { checkpoint: string; inputs: string; out: string; backend?: string } {
  const got: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--help" || a === "-h") {
      console.log(USAGE);
      Deno.exit(0);
    }
    const m = /^--(checkpoint|inputs|out|backend)(?:=(.*))?$/.exec(a);
    if (!m) throw new RangeError(`Unknown argument "${a}": ${USAGE}`);
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new RangeError(`Missing value for --${m[1]}: ${USAGE}`);
    got[m[1]] = value;
  }
  for (const key of ["checkpoint", "inputs", "out"]) {
    if (!got[key]) throw new RangeError(`Missing --${key}: ${USAGE}`);
  }
  return { checkpoint: got.checkpoint, inputs: got.inputs, out: got.out, backend: got.backend };
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    console.error(`wan_forward: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
