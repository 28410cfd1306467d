/**
 * Prints a DiT preset's configuration and parameter count (computed from
 * shapes, nothing allocated):
 *
 *   deno run -A lib/model/cli/model_info.ts --preset wan2.1-t2v-1.3b [--json]
 *   deno run -A lib/model/cli/model_info.ts --list
 *
 * References: Wan-Video/Wan2.1 `wan/configs/wan_t2v_1_3B.py`.
 *
 * @module
 */
import { countParams } from "../count_params.ts";
import { getPreset, MODEL_PRESETS } from "../model_presets.ts";
import { wanParamShapes } from "../wan_param_shapes.ts";

const USAGE = "usage: model_info.ts --preset NAME [--json] | --list";

/**
 * @param args command-line arguments
 * @returns the text printed (also written to stdout)
 * @example
 * ```ts
 * import { main } from "./model_info.ts";
 * main(["--preset", "wan-smoke", "--json"]);
 * ```
 */
export function main(args: string[]): string {
  let preset: string | undefined;
  let json = false;
  let list = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--json") json = true;
    else if (a === "--list") list = true;
    else if (a === "--preset") preset = args[++i];
    else if (a.startsWith("--preset=")) preset = a.slice("--preset=".length);
    else throw new RangeError(`Unknown argument "${a}": ${USAGE}`);
  }
  let text: string;
  if (list) {
    const rows = Object.keys(MODEL_PRESETS).map((name) => ({ name, params: countParams(getPreset(name)) }));
    text = json
      ? JSON.stringify(rows, null, 1)
      : rows.map((r) => `${r.name.padEnd(18)} ${r.params.toLocaleString("en-US")}`).join("\n");
  } else {
    if (!preset) throw new RangeError(`Missing --preset: ${USAGE}`);
    const cfg = getPreset(preset);
    const params = countParams(cfg);
    const tensors = wanParamShapes(cfg).length;
    if (json) {
      text = JSON.stringify({ preset, config: cfg, params, tensors }, null, 1);
    } else {
      const lines = Object.entries(cfg).map(([k, v]) => `  ${k.padEnd(16)} ${JSON.stringify(v)}`);
      text = [`${preset}`, ...lines, `  ${"params".padEnd(16)} ${params.toLocaleString("en-US")} (${tensors} tensors)`]
        .join("\n");
    }
  }
  console.log(text);
  return text;
}

if (import.meta.main) {
  try {
    main(Deno.args);
  } catch (e) {
    console.error(`model_info: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
