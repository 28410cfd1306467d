/**
 * Private: the processes of `deno task bench`: one block of ours in a fresh
 * Deno process (_ours_block.ts), one block of PyTorch's in a fresh Python
 * process (wan_step_torch.py / finetune_step_torch.py) with its threads
 * pinned or its BLAS pool left free, and whether PyTorch is there at all.
 *
 * References: OpenBLAS `OPENBLAS_NUM_THREADS`, `OPENBLAS_CORETYPE`; PyTorch
 * `torch.set_num_threads`.
 *
 * @module
 */
import type { WanConfig } from "../../lib/model/wan_config.ts";
import type { BenchCase, OursBlock, OursBlockOptions, StepTiming } from "./_ours_block.ts";

/** One PyTorch block, as the reference scripts print it. */
export interface TorchBlock {
  torch: string;
  threads: number;
  blas_threads: number | "free";
  params: number;
  trainable_params?: number;
  train_step: StepTiming;
  sample_step: StepTiming;
}

/** "2" → { threads: 2, free: false }; "1:free" → { threads: 1, free: true }. */
export function parseTorchConfig(s: string): { threads: number; free: boolean } {
  const m = /^(\d+)(:free)?$/.exec(s);
  if (!m || Number(m[1]) < 1) {
    throw new RangeError(
      `Cannot run the benchmark as each PyTorch configuration must be "N" or "N:free" with N >= 1: received "${s}"`,
    );
  }
  return { threads: Number(m[1]), free: m[2] !== undefined };
}

const REPO = new URL("../../", import.meta.url).pathname;

/** One block of ours in a fresh Deno process (tools/bench/_ours_block.ts). */
export async function oursSubprocess(o: OursBlockOptions): Promise<OursBlock> {
  const worker = new URL("./_ours_block.ts", import.meta.url).pathname;
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", worker, JSON.stringify(o)],
    cwd: REPO,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!r.success) {
    throw new Error(
      `Our block (${o.case}, ${o.threads} thread(s)) failed: ${
        new TextDecoder().decode(r.stderr).trim().split("\n").slice(-5).join("\n")
      }`,
    );
  }
  return JSON.parse(new TextDecoder().decode(r.stdout).trim().split("\n").at(-1)!) as OursBlock;
}

/** Why PyTorch cannot run here, or undefined when /usr/bin/python3 imports it. */
export async function torchMissing(): Promise<string | undefined> {
  try {
    const r = await new Deno.Command("/usr/bin/python3", {
      args: ["-c", "import torch"],
      stdout: "null",
      stderr: "piped",
    })
      .output();
    if (r.success) return undefined;
    return `PyTorch is not importable by /usr/bin/python3 (apt-get install python3-torch): ${
      new TextDecoder().decode(r.stderr).trim().split("\n").at(-1)
    }`;
  } catch (e) {
    return `PyTorch reference unavailable: ${(e as Error).message}`;
  }
}

/** One PyTorch block in a fresh Python process; a failure stops the benchmark. */
export async function torchSubprocess(
  kind: BenchCase,
  cfg: WanConfig,
  o: {
    threads: number;
    free: boolean;
    batch: number;
    latent: number[];
    runs: number;
    warmup: number;
    coreType?: string;
  },
): Promise<TorchBlock> {
  const script =
    new URL(kind === "finetune" ? "./finetune_step_torch.py" : "./wan_step_torch.py", import.meta.url).pathname;
  const env: Record<string, string> = {};
  if (o.coreType) env.OPENBLAS_CORETYPE = o.coreType; // the same sgemm kernels as our engine's
  const args = [
    script,
    ...["--threads", String(o.threads), ...(o.free ? ["--free-blas"] : [])],
    ...["--batch", String(o.batch), "--runs", String(o.runs), "--warmup", String(o.warmup)],
    ...["--frames", String(o.latent[0]), "--height", String(o.latent[1]), "--width", String(o.latent[2])],
    ...(kind === "finetune" ? ["--channels", String(cfg.in_dim)] : []),
    ...["--config", JSON.stringify(cfg), "--json"],
  ];
  const r = await new Deno.Command("/usr/bin/python3", { args, env, stdout: "piped", stderr: "piped" }).output();
  if (!r.success) {
    const err = new TextDecoder().decode(r.stderr).trim().split("\n").at(-1);
    throw new Error(`The PyTorch block (${o.threads} thread(s)${o.free ? ", BLAS free" : ""}) failed: ${err}`);
  }
  return JSON.parse(new TextDecoder().decode(r.stdout)) as TorchBlock;
}
