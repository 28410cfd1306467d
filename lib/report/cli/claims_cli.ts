/**
 * `deno task claims [--results DIR] [--out FILE] [--check]`: recomputes the
 * claims table from the committed sweeps (lib/report/compute_claims.ts) and
 * writes it (default results/ablations/claims.json), or with --check only
 * says whether the file on disk is what the tables give (exit 1 if not).
 */
import { atomicWrite } from "../../io/mod.ts";
import { computeClaims } from "../compute_claims.ts";

if (import.meta.main) {
  const args = [...Deno.args];
  if (args.includes("--help")) {
    console.log("Usage: deno task claims [--results DIR] [--out FILE] [--check]\n" +
      "  --results DIR  the results folder (default results)\n" +
      "  --out FILE     where to write (default <results>/ablations/claims.json)\n" +
      "  --check        write nothing; exit 1 when FILE differs from what the tables give");
    Deno.exit(0);
  }
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const results = opt("--results") ?? "results";
  const out = opt("--out") ?? `${results}/ablations/claims.json`;
  try {
    const text = JSON.stringify(await computeClaims(results), null, 2) + "\n";
    if (args.includes("--check")) {
      const now = await Deno.readTextFile(out).catch(() => null);
      console.log(now === text ? `${out} is up to date` : `${out} differs from what the tables give: run \`deno task claims\``);
      Deno.exit(now === text ? 0 : 1);
    }
    await atomicWrite(out, text);
    const table = JSON.parse(text);
    for (const c of table.claims) console.log(`${c.id}: ${c.verdict} (effect ${c.effect}, 95% CI [${c.ci_low}, ${c.ci_high}], seeds ${c.seeds.join(",")}, needs ${c.seeds_needed})`);
    for (const p of table.pending) console.log(`${p.id}: pending (${p.reason})`);
    console.log(`wrote ${out}`);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
