/**
 * A second process for the lock tests: waits until `<go>` exists (so several
 * children try at the same moment), tries to take the lock, prints "locked" or
 * "held <reason>" (and "took-over" when it replaced a stale lock), then keeps
 * the lock until its stdin closes.
 *
 *   deno run -A _lock_child.ts <lock path> <go file>
 */
import { LockFile } from "../../lib/io/lock_file.ts";

const [path, go] = Deno.args;
console.log("ready");
while (!(await Deno.stat(go).then(() => true, () => false))) await new Promise((r) => setTimeout(r, 5));
const got = LockFile.acquire(path, { refreshS: 1, staleAfterS: 5 });
console.log(got.lock ? (got.tookOver ? "took-over" : "locked") : `held ${got.holder.reason}`);
await Deno.stdin.read(new Uint8Array(1));
got.lock?.release();
