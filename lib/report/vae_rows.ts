/**
 * One table row per run that trained a VAE (a foundation that trained its
 * own, or a VAE-only stage): its preset and parameter count (from its
 * vae/config.json), the stage it continues (`vae.init`), its frames, steps
 * and clips, the foundations that decode through it, its held-out PSNRs
 * (taken from a foundation that loaded it when the run predates them), and
 * MoveNet's keypoints found on its reconstructions (a VAE-only run's own
 * score, else a sample set's of the run or a foundation decoding through it:
 * the most of a person a DiT on it could draw).
 *
 * References: lib/vae/vae_param_shapes.ts; lib/workbench/score_foundation.ts.
 */
import { type VaeConfig, vaeParamShapes } from "../vae/mod.ts";
import type { FoundationScore } from "../eval/mod.ts";
import type { FinishedRun } from "./load_finished_runs.ts";
import type { SampleSetRecord } from "./load_sample_sets.ts";
import { checkpointRun, resultNumber, storedConfig } from "./_stored_run.ts";

/**
 * @param vaeRuns the runs that trained a VAE
 * @param foundations the foundations that may decode through them
 * @param options the results root and the scored sample sets
 * @returns the rows, in order
 * @example
 * ```ts ignore
 * await Deno.jupyter.display(tableBundle(await vaeRows(vaeRuns, found, { root, sets })), { raw: true });
 * ```
 */
export async function vaeRows(
  vaeRuns: readonly FinishedRun[],
  foundations: readonly FinishedRun[],
  options: { root: string; sets: readonly SampleSetRecord[] },
): Promise<Record<string, string | number | null>[]> {
  const json = <T>(path: string): Promise<T | null> => Deno.readTextFile(path).then(JSON.parse, () => null);
  const rows = [];
  for (const { name, run } of vaeRuns) {
    const cfg = storedConfig(run);
    const config = await json<VaeConfig>(`${options.root}/${name}/vae/config.json`);
    const users = foundations.filter((f) => (checkpointRun(storedConfig(f.run).vae.checkpoint, "vae") ?? f.name) === name);
    const score = (k: string) => resultNumber(run, k) ?? users.map((u) => resultNumber(u.run, k)).find((v) => v !== null) ?? null;
    const own = await json<FoundationScore>(`${options.root}/${name}/foundation_score.json`);
    const decoders = [name, ...users.map((u) => u.name)];
    const set = options.sets.filter((s) => decoders.includes(s.foundation))
      .sort((a, b) => decoders.indexOf(a.foundation) - decoders.indexOf(b.foundation) || b.clips - a.clips)[0];
    rows.push({
      VAE: name,
      preset: cfg.vae.preset,
      params: config ? Object.values(vaeParamShapes(config)).reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0) : null,
      "starts from": checkpointRun(cfg.vae.init, "vae") ?? "",
      frames: cfg.data.frames,
      "VAE steps": cfg.vae.steps,
      train_clips: cfg.data.trainClips,
      "used by": users.map((f) => f.name).join(", "),
      "PSNR, whole frame": score("vae_recon_psnr"),
      "PSNR, character": score("vae_recon_psnr_character"),
      "keypoints found": (own ?? set?.score)?.reconstructions.keypoints_found ?? null,
    });
  }
  return rows;
}
