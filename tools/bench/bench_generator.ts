/**
 * Measures synthetic clip generation throughput (single thread) for the
 * clip sizes the ablations use, per wall-clock second and per CPU-second
 * (the latter is robust to other processes sharing the machine).
 *
 * Usage: `deno run -A tools/bench/bench_generator.ts [clips]`
 *
 * @module
 */

import { syntheticClip } from "../../datasets/synthetic/synthetic_sets.ts";
import type { ClipSize } from "../../lib/synthetic/generate_clip.ts";

/** CPU seconds used by this process so far (Linux /proc; NaN elsewhere). */
function cpuSeconds(): number {
  try {
    const f = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, clock ticks of 1/100 s
  } catch {
    return NaN;
  }
}

if (import.meta.main) {
  const n = Number(Deno.args[0] ?? 60);
  const sizes: ClipSize[] = [
    { frames: 17, height: 64, width: 64 },
    { frames: 9, height: 32, width: 32 },
    { frames: 17, height: 128, width: 128 },
  ];
  for (const size of sizes) {
    for (let i = 0; i < 5; i++) syntheticClip("pretrain", 1_000_000 + i, size);
    const t0 = performance.now(), c0 = cpuSeconds();
    for (let i = 0; i < n; i++) syntheticClip("pretrain", i, size);
    const s = (performance.now() - t0) / 1000, c = cpuSeconds() - c0;
    console.log(
      `${size.frames}x${size.height}x${size.width}: ${(n / s).toFixed(1)} clips/s wall, ${
        (n / c).toFixed(1)
      } clips per CPU-second (${n} pretrain clips)`,
    );
  }
}
