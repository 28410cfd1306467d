import assert from "node:assert/strict";
import { ProgressBar } from "../../lib/io/progress_bar.ts";

Deno.test("ProgressBar.format() shows the fill, the count and the fields", () => {
  const bar = new ProgressBar("run 1/2", 10, { write: () => {}, width: 10, tty: false });
  const line = bar.format(5, { loss: 0.25 });
  assert.match(line, /^run 1\/2 █████░░░░░ 5\/10 loss 0\.2500 [0-9.]+ step\/s ETA /);
});

Deno.test("ProgressBar.update() prints one line per 10% when not a terminal", () => {
  const lines: string[] = [];
  const bar = new ProgressBar("x", 100, { write: (t) => lines.push(t), tty: false });
  for (let s = 1; s <= 100; s++) bar.update(s, { loss: 1 });
  assert.equal(lines.length, 11);
  assert.ok(lines.every((l) => l.endsWith("\n")));
});

Deno.test("ProgressBar() rejects a total below 1", () => {
  assert.throws(() => new ProgressBar("x", 0), /total must be an integer >= 1: received 0/);
});
