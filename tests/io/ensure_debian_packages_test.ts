/**
 * The one set-up path of every task: installed packages cost nothing, and a
 * missing one that cannot be installed stops with the exact apt-get line.
 */
import assert from "node:assert/strict";
import { debInstalled, ensureDebianPackages, SetupError } from "../../lib/io/mod.ts";
import { skipWhen } from "../_skip.ts";

const dpkg = await debInstalled("dpkg");
const ignore = skipWhen(dpkg ? null : "not a Debian machine (dpkg-query reports no dpkg)");

Deno.test("debInstalled() is false for a package that does not exist", async () => {
  assert.equal(await debInstalled("no-such-package-h1x"), false);
});

Deno.test({ name: "ensureDebianPackages() installs nothing and returns [] when every package is installed", ignore }, async () => {
  assert.deepEqual(await ensureDebianPackages(["dpkg"], "Nothing", { install: false }), []);
  assert.deepEqual(await ensureDebianPackages(["dpkg"], "Nothing"), []);
});

Deno.test("ensureDebianPackages() that may not install stops with a SetupError naming only the missing packages and the apt-get line", async () => {
  const err = await ensureDebianPackages(["dpkg", "no-such-package-h1x"], "The probe", { install: false }).then(
    () => null,
    (e: Error) => e,
  );
  assert.ok(err instanceof SetupError, String(err));
  assert.equal(
    err.message,
    dpkg
      ? "The probe needs the Debian package no-such-package-h1x: run as root `apt-get update && apt-get install -y no-such-package-h1x`"
      : "The probe needs the Debian packages dpkg, no-such-package-h1x: run as root `apt-get update && apt-get install -y dpkg no-such-package-h1x`",
  );
  assert.ok(!err.message.includes("\n"), "one line, so that engine notes keep the command");
});
