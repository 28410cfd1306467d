/**
 * The first foundation: the causal VAE, then the `wan-toy` DiT as a
 * text-to-video model on the synthetic pretraining corpus (captions describe
 * character, style, scene, lighting and action). Which foundation the
 * fine-tuning experiments use is experiments/_recipes.ts's choice (FOUNDATION).
 */
import { defineExperiment } from "./_recipes.ts";

export default defineExperiment({
  question: "foundation: VAE then wan-toy text-to-video DiT on the synthetic pretraining corpus",
  recipe: "first-foundation",
  overrides: {},
  axes: {},
});
