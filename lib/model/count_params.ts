/**
 * Counts the parameters of a Wan DiT from its configuration, without
 * allocating any tensor.
 *
 * References: Wan-Video/Wan2.1 `wan/modules/model.py`; Wan2.1-T2V-1.3B has
 * 1,418,996,800 parameters.
 *
 * @module
 */
import type { WanConfig } from "./wan_config.ts";
import { wanParamShapes } from "./wan_param_shapes.ts";

/**
 * @param cfg the model configuration
 * @returns the number of scalar parameters
 * @example
 * ```ts
 * import { countParams } from "./count_params.ts";
 * import { MODEL_PRESETS } from "./model_presets.ts";
 * console.log(countParams(MODEL_PRESETS["wan2.1-t2v-1.3b"])); // 1418996800
 * ```
 */
export function countParams(cfg: WanConfig): number {
  let total = 0;
  for (const [, shape] of wanParamShapes(cfg)) total += shape.reduce((a, b) => a * b, 1);
  return total;
}
