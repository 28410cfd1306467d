/**
 * The repository stops growing with every candidate: a run's weights
 * (dit/, vae/) and sample tensors are ignored unless something reads them
 * (the adopted foundation, its VAE stages, the autoguidance guide, the `-syn`
 * networks, model_design's fine-tunings), while every run's config, metrics,
 * scores and strips stay committable.
 */
import assert from "node:assert/strict";
import { skipWhen } from "../_skip.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Whether `git` runs here (a fresh machine may lack it). */
const GIT = await new Deno.Command("git", { args: ["--version"], stdout: "null", stderr: "null" }).output()
  .then((o) => o.success, () => false);
const ignore = skipWhen(GIT ? null : "git is not installed (apt-get install -y git)");

/** Paths of `paths` that .gitignore ignores (whether tracked or not). */
async function ignored(paths: string[]): Promise<string[]> {
  const out = await new Deno.Command("git", {
    args: ["check-ignore", "--no-index", "--stdin"],
    cwd: root,
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = out.stdin.getWriter();
  await writer.write(new TextEncoder().encode(paths.join("\n") + "\n"));
  await writer.close();
  const { stdout } = await out.output();
  return new TextDecoder().decode(stdout).split("\n").filter((l) => l !== "");
}

Deno.test({
  name: ".gitignore keeps the weights something reads and ignores a new candidate's",
  ignore,
  fn: async () => {
    const { FOUNDATION } = await import(new URL("experiments/_foundation.ts", `file://${root}`).href);
    const kept = [
      `${FOUNDATION}/dit/diffusion_pytorch_model.safetensors`,
      `${FOUNDATION}/dit/text_encoder.safetensors`,
      `${FOUNDATION}/vae/vae.safetensors`,
      "results/pretrain_vae_image/0/vae/vae.safetensors",
      "results/pretrain_vae_video/0/vae/vae.safetensors",
      "results/pretrain_dit_vae_video_guide_short/0/dit/diffusion_pytorch_model.safetensors",
      "results/pretrain_dit_vae_video_guide_short/0/vae/vae.safetensors",
      "results/feature_nets/0/image-syn.safetensors",
      "results/model_design/9-design=part-finetune-seed=0/dit/design.safetensors",
      "results/model_design/9-design=part-finetune-seed=0/samples/generated.safetensors",
      "results/some_candidate/0/config.json",
      "results/some_candidate/0/result.json",
      "results/some_candidate/0/foundation_score.json",
      "results/some_candidate/0/samples/eval-000.png",
      "results/some_candidate/0/dit/config.json",
      "results/some_candidate/0/vae/config.json",
    ];
    const dropped = [
      "results/some_candidate/0/dit/diffusion_pytorch_model.safetensors",
      "results/some_candidate/0/vae/vae.safetensors",
      "results/some_candidate/0/samples/generated.safetensors",
      "results/some_candidate/0/checkpoints/dit.safetensors",
      "results/benchmark/0-design=part-finetune-seed=0/samples/generated.safetensors",
    ];
    assert.deepEqual(await ignored(kept), []);
    assert.deepEqual(await ignored(dropped), dropped);
  },
});
