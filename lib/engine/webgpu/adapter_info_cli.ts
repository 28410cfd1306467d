/**
 * `deno run --unstable-webgpu -A lib/engine/webgpu/adapter_info_cli.ts [--json]`:
 * which WebGPU adapter this machine has, whether it is a software one, its
 * buffer limits, and what `initEngine` would do with it ("auto" uses only a
 * hardware adapter; `--backend webgpu` takes a software one too). Exit code 0
 * when there is an adapter, 1 when there is none (the reason is printed).
 *
 * References: W3C WebGPU §3.5–3.6 (`GPUAdapterInfo`, `GPUSupportedLimits`).
 *
 * @example
 * ```ts ignore
 * import { main } from "./adapter_info_cli.ts";
 * Deno.exit(await main(["--json"]));
 * ```
 */
import { probeWebGpu } from "./probe_web_gpu.ts";

const HELP = `Usage: deno run --unstable-webgpu -A lib/engine/webgpu/adapter_info_cli.ts [--json]

Prints the WebGPU adapter Deno finds (vendor, device, software or not, buffer
limits) and whether the engine's "auto" backend would use it.
  --json   one JSON object: { ok, adapter?, reason?, auto }
`;

/** The limits that decide what fits (printed first, in MiB where they are sizes). */
const KEY_LIMITS = [
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxComputeWorkgroupStorageSize",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupsPerDimension",
] as const;

/**
 * @param args command-line arguments
 * @returns the exit code (0: adapter found, 1: none, 2: bad arguments)
 */
export async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const unknown = args.filter((a) => a !== "--json");
  if (unknown.length) {
    console.error(`Unknown argument ${unknown[0]}: expected --json or --help\n\n${HELP}`);
    return 2;
  }
  const probe = await probeWebGpu();
  const auto = !probe.ok
    ? `not used (${probe.reason})`
    : probe.info.software
    ? `not used by "auto" (software adapter: ${probe.info.softwareReason}); used with --backend webgpu`
    : 'used first by "auto"';
  if (args.includes("--json")) {
    console.log(
      JSON.stringify(probe.ok ? { ok: true, adapter: probe.info, auto } : { ok: false, reason: probe.reason, auto }),
    );
    return probe.ok ? 0 : 1;
  }
  if (!probe.ok) {
    console.log(`No WebGPU adapter: ${probe.reason}`);
    return 1;
  }
  const a = probe.info;
  const mib = (v: number) =>
    v >= 2 ** 20 ? `${v} (${(v / 2 ** 20).toFixed(1)} MiB)` : `${v} (${(v / 1024).toFixed(1)} KiB)`;
  console.log(`adapter      ${a.description || "(no description)"}`);
  console.log(`vendor       ${a.vendor || "?"}   architecture ${a.architecture || "?"}   device ${a.device || "?"}`);
  console.log(`software     ${a.software ? `yes (${a.softwareReason})` : "no"}`);
  console.log(`engine       ${auto}`);
  for (const k of KEY_LIMITS) {
    const v = a.limits[k];
    if (v !== undefined) console.log(`${k.padEnd(36)} ${k.endsWith("Size") ? mib(v) : v}`);
  }
  console.log(`features     ${a.features.join(", ")}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
