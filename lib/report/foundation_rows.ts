/**
 * One table row per foundation run: what it continues and decodes through,
 * its size, and the numbers of its result.json that decide the choice
 * (validation loss, on the character, with empty captions, and the caption
 * gain = the loss with every caption empty − the loss with the captions).
 *
 * References: lib/workbench/run_pipeline.ts (the result.json keys).
 */
import type { FinishedRun } from "./load_finished_runs.ts";
import { checkpointRun, resultNumber, storedConfig } from "./_stored_run.ts";

/**
 * @param found the foundation runs
 * @param options the adopted one's name (marked "yes")
 * @returns the rows, in order
 * @example
 * ```ts ignore
 * await Deno.jupyter.display(tableBundle(foundationRows(found, { adopted: "pretrain_dit_vae_video/0" })), { raw: true });
 * ```
 */
export function foundationRows(found: readonly FinishedRun[], options: { adopted: string }): Record<string, string | number | null>[] {
  return found.map(({ name, run }) => {
    const cfg = storedConfig(run), num = (k: string) => resultNumber(run, k);
    const val = num("final_val_loss"), empty = num("final_val_loss_empty_caption");
    return {
      foundation: name,
      adopted: name === options.adopted ? "yes" : "",
      continues: checkpointRun(cfg.model.checkpoint, "dit") ?? "",
      VAE: checkpointRun(cfg.vae.checkpoint, "vae") ?? name,
      train_clips: cfg.data.trainClips,
      DiT: cfg.model.preset,
      "DiT params": num("dit_params"),
      "DiT steps": num("steps"),
      val_loss: val,
      character: num("final_val_loss_character"),
      "val_loss, empty captions": empty,
      "caption gain": val !== null && empty !== null ? empty - val : null,
      "sample PSNR": num("psnr"),
      "sample SSIM": num("ssim"),
      "VAE PSNR, character": num("vae_recon_psnr_character"),
      "DiT train s": num("dit_train_s"),
    };
  });
}
