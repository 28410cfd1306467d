import assert from "node:assert/strict";
import { checkMemoryBudget, MemoryBudgetError, parseByteSize, predictTrainingBytes } from "../../../lib/model/mod.ts";

Deno.test("predictTrainingBytes() counts weights, gradients and AdamW's two moments in float32", () => {
  assert.equal(predictTrainingBytes({ totalParams: 1000, trainableParams: 100 }), 4 * 1000 + 4 * 100 * 3);
  assert.equal(predictTrainingBytes({ totalParams: 1000, trainableParams: 0 }, { bytesPerValue: 2 }), 2000);
  assert.throws(() => predictTrainingBytes({ totalParams: 10, trainableParams: 11 }), /in \[0, 10\]: received 11/);
});

Deno.test("checkMemoryBudget() passes within the budget and names both figures when over it", () => {
  checkMemoryBudget("part-finetune", 1e9, { peakBytes: 5e8, predictedBytes: 1e8 });
  checkMemoryBudget("part-finetune", 1e9, { peakBytes: 1e9 }); // equal fits
  assert.throws(
    () => checkMemoryBudget("reference-net", 8e9, { predictedBytes: 9.5e9 }),
    (e: unknown) => {
      assert.ok(e instanceof MemoryBudgetError && e instanceof RangeError);
      assert.equal(
        e.message,
        'Cannot train design "reference-net" within the memory budget: its predicted peak is 9.50 GB (9500000000 B) and the budget is 8.00 GB (8000000000 B) — out of memory',
      );
      assert.deepEqual([e.design, e.bytes, e.budgetBytes, e.source], ["reference-net", 9.5e9, 8e9, "predicted"]);
      return true;
    },
  );
  assert.throws(
    () => checkMemoryBudget("light-reference-net", 2e6, { predictedBytes: 1e6, peakBytes: 2_500_000 }),
    /its measured peak is 2.50 MB \(2500000 B\) and the budget is 2.00 MB \(2000000 B\)/,
  );
  assert.throws(() => checkMemoryBudget("x", 0, { peakBytes: 1 }), /finite number > 0: received 0/);
  assert.throws(() => checkMemoryBudget("x", 1, {}), /neither peakBytes nor predictedBytes/);
});

Deno.test("parseByteSize() reads decimal and binary units", () => {
  assert.equal(parseByteSize("8GB"), 8e9);
  assert.equal(parseByteSize("8 gb"), 8e9);
  assert.equal(parseByteSize("1.5MiB"), 1.5 * 1024 * 1024);
  assert.equal(parseByteSize("512kB"), 512000);
  assert.equal(parseByteSize("1e9"), 1e9);
  assert.equal(parseByteSize("100"), 100);
  assert.throws(() => parseByteSize("8 GiBs"), /Cannot parse the memory size "8 GiBs"/);
  assert.throws(() => parseByteSize("0GB"), /must be > 0 bytes/);
});
