import assert from "node:assert/strict";
import { executeNotebookFile, streamText } from "./execute_notebook.ts";

const code = (source: string) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source });
// A cell value shown as plain text without Deno's colour codes.
const plain = (text: string) => `({ [Symbol.for("Jupyter.display")]: () => ({ "text/plain": "${text}" }) })`;

Deno.test("executeNotebookFile() keeps a cell's console and display outputs that arrive after its idle status, and only there", async () => {
  // The first cell's log and display are sent 40 ms after it ends: later than Deno's kernel waits (5 ms),
  // so plain `jupyter nbconvert --execute` drops them.
  const nb = {
    cells: [
      code(`setTimeout(() => console.log("late log"), 40);\nsetTimeout(() => Deno.jupyter.display({ "text/plain": "late display" }, { raw: true }), 40);\n${plain("first")}`),
      code(`console.log("second log");\n${plain("second")}`),
    ],
    metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const path = await Deno.makeTempFile({ suffix: ".ipynb" });
  await Deno.writeTextFile(path, JSON.stringify(nb));
  const out = await executeNotebookFile(path);
  await Deno.remove(path);
  const texts = out.cells.map((c) =>
    (c.outputs ?? []).map((o) => o.output_type === "stream" ? [o.text ?? []].flat().join("") : String(o.data?.["text/plain"]))
  );
  assert.deepEqual(texts[0].toSorted(), ["first", "late display", "late log\n"]);
  assert.deepEqual(texts[1].toSorted(), ["second", "second log\n"]);
  assert.equal(streamText(out), "late log\nsecond log\n");
});
