/**
 * The code base passes `deno lint` (recommended rules): a lint error is a
 * defect the test run reports, not something found by the next reader.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("deno lint reports no problems in lib/, experiments/, datasets/ and tests/", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["lint", "lib", "experiments", "datasets", "tests"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.ok(out.success, `deno lint failed:\n${text}`);
});
