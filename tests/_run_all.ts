/**
 * `deno task test`: sets up what the suite needs (Debian packages, the Deno
 * Jupyter kernel, OpenBLAS), runs every test under tests/ (notebooks included,
 * executed in real Jupyter), and ends with the line `N passed, N failed`.
 *
 * Extra arguments go to `deno test` (e.g. a folder or `--filter name`).
 */
import { ensureJupyter, SetupError } from "../lib/io/mod.ts";
import { ensureOpenBlas } from "../lib/engine/ensure_open_blas.ts";

const root = new URL("../", import.meta.url).pathname;

async function main(): Promise<number> {
  try {
    console.error(`setup: OpenBLAS at ${await ensureOpenBlas()}`);
    console.error(`setup: ${await ensureJupyter()}`);
  } catch (e) {
    if (e instanceof SetupError) {
      console.error(e.message);
      console.log("0 passed, 1 failed");
      return 1;
    }
    throw e;
  }
  const junit = await Deno.makeTempFile({ suffix: ".xml" });
  const targets = Deno.args.length ? Deno.args : ["tests/"];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check=remote", `--junit-path=${junit}`, ...targets],
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const status = await child.status;
  let passed = 0, failed = 0;
  try {
    const xml = await Deno.readTextFile(junit);
    // One <testcase> per test; failed ones contain <failure> (or <error>).
    const cases = xml.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
    for (const c of cases) {
      if (/<(failure|error)\b/.test(c)) failed++;
      else if (!/<skipped\b/.test(c)) passed++;
    }
  } catch {
    // No report: the run failed before any test (e.g. a type error).
  }
  if (!status.success && failed === 0) failed = 1;
  await Deno.remove(junit).catch(() => {});
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && status.success ? 0 : 1;
}

Deno.exit(await main());
