/**
 * A tiny text-to-video foundation trained in the test (the smoke recipe with
 * the `wan-toy` DiT, so every design's blocks exist), for tests that
 * fine-tune from one through the real pipeline.
 */
import { resolveRuns } from "../../lib/workbench/mod.ts";
import { runPipeline } from "../../lib/workbench/run_pipeline.ts";
import smoke from "../../experiments/smoke.ts";
import { as, runContext } from "./_fixtures.ts";

/**
 * @param dir the run folder to write it to (`<dir>/vae`, `<dir>/dit`)
 * @param options VAE and DiT steps (default 4 each) and training clips (default 8)
 * @returns `dir`
 */
export async function trainTinyFoundation(dir: string, options: { steps?: number; trainClips?: number } = {}): Promise<string> {
  const steps = options.steps ?? 4;
  const [f] = resolveRuns("smoke", smoke);
  const fc = as(f.config, "pretrain");
  Object.assign(fc.vae, { steps });
  Object.assign(fc.model, { preset: "wan-toy" });
  Object.assign(fc.train, { steps, valEvery: 0 });
  Object.assign(fc.data, { trainClips: options.trainClips ?? 8, valClips: 2, evalClips: 2 });
  await runPipeline(f, runContext(dir, "foundation"));
  return dir;
}
