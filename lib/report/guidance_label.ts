/**
 * How a sampler config takes its second branch, in words, for table rows
 * and figure legends: "classifier-free", or autoguidance's guide (its run
 * folder without `results/`) and caption, with the classifier-free term
 * added and the guidance interval when there is one.
 *
 * References: lib/diffusion/guidance (the kinds it names).
 */
import type { SamplerConfig } from "../diffusion/mod.ts";

/**
 * @param sampler a sample set's sampler
 * @returns e.g. "pretrain_dit_vae_video_guide_short/0, same caption, plus classifier-free 3, σ in [0.2, 0.85]"
 * @example
 * ```ts
 * import { guidanceLabel } from "./guidance_label.ts";
 * console.log(guidanceLabel({ solver: "unipc", steps: 20, shift: 1, guidance: { kind: "cfg", scale: 3, drop: ["context"] } })); // classifier-free
 * ```
 */
export function guidanceLabel(sampler: SamplerConfig): string {
  const g = sampler.guidance;
  const way = g.kind === "autoguidance"
    ? `${g.guide.replace(/^(\.\/)?results\//, "")}, ${g.caption} caption` + (g.cfg !== undefined && g.cfg !== 1 ? `, plus classifier-free ${g.cfg}` : "")
    : "classifier-free";
  return way + (sampler.interval ? `, σ in [${sampler.interval.min}, ${sampler.interval.max}]` : "");
}
