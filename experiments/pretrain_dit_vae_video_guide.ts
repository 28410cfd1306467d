/**
 * A deliberately weaker version of the foundation's DiT, to guide it with
 * (autoguidance): `pretrain_dit_vae_video`'s recipe on the same VAE, stopped at
 * an eighth of its steps (1,625 of 13,000, its cosine schedule compressed to
 * them) on a quarter of its clips (4,096). Why: the foundation's samples keep
 * about half of what its VAE's reconstructions keep of a person, and lose the
 * figure at high noise, where an undertrained DiT predicts a blurred average;
 * neither the timestep distribution, the guidance scale, the solver nor more
 * steps moved them (results/JOURNAL.md). Guiding a model with a worse version
 * of itself, v = v_bad + w·(v_good − v_bad), pushes the sample away from the
 * errors the two share in kind but the worse one makes more of (Karras et al.
 * 2024).
 * The autoguidance values of `deno task ablate foundation_sampling` sample
 * the foundation guided by it.
 *
 * References: Karras et al. 2024, "Guiding a Diffusion Model with a Bad Version
 * of Itself" (autoguidance; the guiding model is smaller and/or trained for a
 * fraction of the main model's iterations).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "the foundation's DiT recipe at 1/8 of its steps on 4,096 clips: a weaker model to guide it with",
  recipe: "guide",
  overrides: {},
  axes: {},
});
