/**
 * `deno task test` says what did not run: its closing line counts the skipped
 * tests, each file's skips are listed above it with the reasons that file
 * recorded through skipWhen(), and a dependency the task installs itself is a
 * failure when missing, not a skip.
 */
import assert from "node:assert/strict";
import { junitCases, skipLines } from "./_run_all.ts";

const RUN_ALL = new URL("./_run_all.ts", import.meta.url).pathname;
const SKIP = new URL("./_skip.ts", import.meta.url).href;

Deno.test("junitCases() reads each test and step of deno's JUnit report as passed, failed or skipped, with its file", () => {
  const xml = `<testsuites><testsuite name="./tests/a_test.ts">
    <testcase name="ok &amp; fine" classname="./tests/a_test.ts" line="1"></testcase>
    <testcase name="bad" classname="./tests/a_test.ts"><failure message="x">boom</failure></testcase>
    <testcase name="t &gt; step" classname="./tests/a_test.ts"><skipped/></testcase>
    <testcase name="outside" classname="../../tmp/b_test.ts"><skipped/></testcase>
  </testsuite></testsuites>`;
  assert.deepEqual(junitCases(xml, "/repo"), [
    { file: "/repo/tests/a_test.ts", name: "ok & fine", state: "passed" },
    { file: "/repo/tests/a_test.ts", name: "bad", state: "failed" },
    { file: "/repo/tests/a_test.ts", name: "t > step", state: "skipped" },
    { file: "/tmp/b_test.ts", name: "outside", state: "skipped" },
  ]);
  assert.deepEqual(junitCases(""), []);
});

Deno.test("skipLines() lists each file's skipped tests under the reasons it recorded, and says when it recorded none", () => {
  const cases = [
    { file: "/x/a_test.ts", name: "one", state: "skipped" as const },
    { file: "/x/a_test.ts", name: "two", state: "skipped" as const },
    { file: "/x/a_test.ts", name: "three", state: "passed" as const },
    { file: "/x/b_test.ts", name: "lone", state: "skipped" as const },
  ];
  const records = [
    { file: "file:///x/a_test.ts", reason: "no git" },
    { file: "file:///x/a_test.ts", reason: "no git" },
    { file: "file:///x/c_test.ts", reason: "unrelated" },
  ];
  assert.deepEqual(skipLines(cases, records), [
    "skipped 2 in /x/a_test.ts: no git",
    "  - one",
    "  - two",
    "skipped 1 in /x/b_test.ts: no reason recorded (pass `ignore: skipWhen(reason)` from tests/_skip.ts)",
    "  - lone",
  ]);
  assert.deepEqual(skipLines(cases.filter((c) => c.state === "passed"), records), []);
});

Deno.test("deno task test ends with `N passed, N failed, N skipped`, lists each skip's reason, and fails a dependency it installs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "run-all-" });
  try {
    await Deno.writeTextFile(
      `${dir}/probe_test.ts`,
      `import { skipWhen } from "${SKIP}";
const noFrob = skipWhen("the frobnicator is not installed");
Deno.test({ name: "needs the frobnicator", ignore: noFrob }, () => {});
const noBlas = skipWhen("libopenblas.so.0 is missing", { dependency: "OpenBLAS", installedByTestTask: true });
Deno.test({ name: "needs OpenBLAS", ignore: noBlas }, () => {});
Deno.test({ name: "needs nothing", ignore: skipWhen(null) }, () => {});
`,
    );
    const o = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", RUN_ALL, `${dir}/probe_test.ts`], stdout: "piped", stderr: "piped" })
      .output();
    const out = new TextDecoder().decode(o.stdout).trimEnd().split("\n");
    assert.equal(o.success, false, "a dependency the test task installs is a failure when missing");
    assert.equal(out.at(-1), "1 passed, 1 failed, 2 skipped");
    const listed = out.slice(out.findIndex((l) => l.startsWith("skipped 2 in ")), -1);
    assert.deepEqual(listed, [
      `skipped 2 in ${dir}/probe_test.ts: the frobnicator is not installed; ` +
      `OpenBLAS is missing (see the failing test "OpenBLAS is available"): libopenblas.so.0 is missing`,
      "  - needs the frobnicator",
      "  - needs OpenBLAS",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
