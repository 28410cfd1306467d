/**
 * The committed foundation and the fine-tuning scales, kept under this name
 * for the notebooks and tests that import them: they are defined, with the
 * recipes, in experiments/_recipes.ts. (Files starting with `_` are not
 * experiments.)
 */
export { FINETUNE_BASE, FINETUNE_SCALE, FOUNDATION } from "./_recipes.ts";
