/**
 * "Did you mean": a mistyped experiment name or config key is answered with
 * the closest known one, through the same suggestion.
 */
import assert from "node:assert/strict";
import { didYouMean } from "../../lib/workbench/_did_you_mean.ts";
import { loadExperiment } from "../../lib/workbench/ablate_cli.ts";
import { defineExperiment, resolveRuns } from "../../lib/workbench/experiment.ts";

Deno.test("didYouMean() suggests a case-insensitive match, else the closest name within two edits, else nothing", () => {
  const known = ["batch_iterations", "model_design", "smoke", "timestep_warmup"];
  assert.equal(didYouMean("smok", known), "smoke");
  assert.equal(didYouMean("SMOKE", known), "smoke");
  assert.equal(didYouMean("modle_design", known), "model_design");
  assert.equal(didYouMean("smoker", ["smoke", "smoked"]), "smoke", "ties go to the first name");
  assert.equal(didYouMean("sm", ["smoke"]), undefined, "three edits away is not suggested");
  assert.equal(didYouMean("sm", ["smoke"], 3), "smoke");
  assert.equal(didYouMean("anything", []), undefined);
});

Deno.test("an unknown experiment name suggests the closest experiment and still lists them all", async () => {
  await assert.rejects(
    () => loadExperiment("smok"),
    /^RangeError: Unknown experiment "smok" \(did you mean "smoke"\?\)\. Known experiments: .*\bsmoke\b/,
  );
  await assert.rejects(() => loadExperiment("modeldesign"), /did you mean "model_design"\?/);
  await assert.rejects(
    () => loadExperiment("no_such_experiment"),
    (e: Error) => e.message.startsWith('Unknown experiment "no_such_experiment". Known experiments: '),
  );
});

Deno.test("an unknown config key still suggests the closest key at its level", () => {
  const exp = defineExperiment({ question: "typo", recipe: "defaults", overrides: { train: { stpes: 4 } as never }, axes: {} });
  assert.throws(() => resolveRuns("typo", exp), /unknown config key "train\.stpes" \(did you mean "train\.steps"\?\)/);
});
