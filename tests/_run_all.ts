/**
 * `deno task test`: sets up what the suite needs (OpenBLAS, the Jupyter
 * packages and the Deno kernel; a failure to set them up is a failed run, not
 * a skip), runs every test under tests/ (notebooks included, executed in real
 * Jupyter), lists each skipped test's reason, and ends with the line
 * `N passed, N failed, N skipped`.
 *
 * Extra arguments go to `deno test` (e.g. a folder or `--filter name`).
 */
import { ensureJupyter, SetupError } from "../lib/io/mod.ts";
import { ensureOpenBlas } from "../lib/engine/ensure_open_blas.ts";
import { SKIP_LOG_ENV, type SkipRecord } from "./_skip.ts";

const root = new URL("../", import.meta.url).pathname;

/** One `<testcase>` of deno's JUnit report. */
interface TestCase {
  /** The test file's absolute path. */
  file: string;
  name: string;
  state: "passed" | "failed" | "skipped";
}

/**
 * @param xml deno test's JUnit report (its file names relative to `cwd`)
 * @param cwd the folder `deno test` ran in
 * @returns one entry per test and per step
 */
export function junitCases(xml: string, cwd = root): TestCase[] {
  const cases = xml.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
  return cases.map((c) => {
    const attr = (k: string) => unescapeXml(c.match(new RegExp(`\\b${k}="([^"]*)"`))?.[1] ?? "");
    const state = /<(failure|error)\b/.test(c) ? "failed" : /<skipped\b/.test(c) ? "skipped" : "passed";
    return { file: new URL(attr("classname"), `file://${cwd.endsWith("/") ? cwd : cwd + "/"}`).pathname, name: attr("name"), state };
  });
}

/**
 * @param cases the tests
 * @param records the skip log's lines
 * @returns the lines listing the skipped tests of each file with the reasons that file recorded
 */
export function skipLines(cases: readonly TestCase[], records: readonly SkipRecord[]): string[] {
  const reasons = new Map<string, string[]>();
  for (const r of records) {
    const file = r.file.startsWith("file://") ? new URL(r.file).pathname : r.file;
    const list = reasons.get(file) ?? [];
    if (!list.includes(r.reason)) list.push(r.reason);
    reasons.set(file, list);
  }
  const byFile = new Map<string, string[]>();
  for (const c of cases) if (c.state === "skipped") byFile.set(c.file, [...(byFile.get(c.file) ?? []), c.name]);
  const lines: string[] = [];
  for (const [file, names] of byFile) {
    const why = reasons.get(file)?.join("; ") ?? "no reason recorded (pass `ignore: skipWhen(reason)` from tests/_skip.ts)";
    lines.push(`skipped ${names.length} in ${file.startsWith(root) ? file.slice(root.length) : file}: ${why}`);
    for (const n of names) lines.push(`  - ${n}`);
  }
  return lines;
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}

async function main(): Promise<number> {
  try {
    console.error(`setup: OpenBLAS at ${await ensureOpenBlas()}`);
    console.error(`setup: ${await ensureJupyter()}`);
  } catch (e) {
    if (e instanceof SetupError) {
      console.error(e.message);
      console.log("0 passed, 1 failed, 0 skipped");
      return 1;
    }
    throw e;
  }
  const junit = await Deno.makeTempFile({ suffix: ".xml" });
  const skipLog = await Deno.makeTempFile({ suffix: ".jsonl" });
  const targets = Deno.args.length ? Deno.args : ["tests/"];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check=remote", `--junit-path=${junit}`, ...targets],
    cwd: root,
    env: { [SKIP_LOG_ENV]: skipLog },
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const status = await child.status;
  // No report: the run failed before any test (e.g. a type error).
  const cases = junitCases(await Deno.readTextFile(junit).catch(() => ""), root);
  const records = (await Deno.readTextFile(skipLog).catch(() => "")).split("\n").filter(Boolean)
    .map((l) => JSON.parse(l) as SkipRecord);
  await Deno.remove(junit).catch(() => {});
  await Deno.remove(skipLog).catch(() => {});
  const count = (s: TestCase["state"]) => cases.filter((c) => c.state === s).length;
  const [passed, skipped] = [count("passed"), count("skipped")];
  let failed = count("failed");
  if (!status.success && failed === 0) failed = 1;
  for (const line of skipLines(cases, records)) console.log(line);
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed === 0 && status.success ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
