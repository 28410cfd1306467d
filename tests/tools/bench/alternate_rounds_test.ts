/**
 * tools/bench/_alternate_rounds.ts: both sides' blocks alternate (A/B/A/B…)
 * and every other round runs in reverse, one block at a time.
 */
import assert from "node:assert/strict";
import { alternateRounds, type BlockSpec, interleave } from "../../../tools/bench/_alternate_rounds.ts";

Deno.test("interleave() alternates the two sides and appends what is left of the longer one", () => {
  assert.deepEqual(interleave(["o1", "o2"], ["t1", "t2", "t1:free"]), ["o1", "t1", "o2", "t2", "t1:free"]);
  assert.deepEqual(interleave(["o1", "o2"], []), ["o1", "o2"]);
});

Deno.test("alternateRounds() runs ours and torch A/B/A/B, reverses every other round, and never overlaps two blocks", async () => {
  let running = 0, calls = 0;
  const spec = (side: "ours" | "torch", config: string): BlockSpec<number> => ({
    side,
    config,
    run: async () => {
      assert.equal(running++, 0, "one block at a time");
      await new Promise((r) => setTimeout(r, 1));
      running--;
      return calls++;
    },
  });
  const seen: string[] = [];
  const blocks = interleave([spec("ours", "1"), spec("ours", "2")], [spec("torch", "1"), spec("torch", "2")]);
  const r = await alternateRounds(blocks, { rounds: 3, onBlock: (b) => seen.push(`${b.side}${b.config}`) });
  const order = ["ours1", "torch1", "ours2", "torch2"];
  assert.deepEqual(seen, [...order, ...[...order].reverse(), ...order]);
  assert.deepEqual(r.map((b) => b.round), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  assert.deepEqual(r.map((b) => b.result), [...Array(12).keys()]);
  for (let i = 1; i < r.length; i++) assert.ok(r[i].start_ms >= r[i - 1].start_ms);
  // No two neighbours are the same side within a round: the sides alternate.
  for (let i = 1; i < 4; i++) assert.notEqual(r[i].side, r[i - 1].side);
});

Deno.test("alternateRounds() rejects zero rounds and an empty schedule", async () => {
  await assert.rejects(alternateRounds([], { rounds: 1 }), /no blocks/);
  await assert.rejects(
    alternateRounds([{ side: "ours", config: "1", run: () => Promise.resolve(0) }], { rounds: 0 }),
    /rounds must be an integer >= 1: received 0/,
  );
});
