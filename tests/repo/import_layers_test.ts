/**
 * The layers of design.md hold: every module under lib/, datasets/,
 * experiments/, tools/ and every notebook's code imports only from its own
 * layer or below, and no two folders import each other. There is no
 * allow-list: a violation is fixed by moving code to the layer it belongs to.
 */
import assert from "node:assert/strict";
import {
  blankCommentsAndStrings,
  checkImportLayers,
  folderOf,
  importSpecifiers,
  layerOf,
  notebookCode,
} from "./_import_layers.ts";

const root = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("no module imports from a higher layer and no two folders import each other", async () => {
  const problems = await checkImportLayers(root);
  assert.deepEqual(
    problems,
    [],
    `${problems.length} import-layer violations (design.md, "Layers"):\n  ${problems.join("\n  ")}`,
  );
});

Deno.test("each folder maps to its layer, and a folder with none is reported as such", () => {
  assert.equal(layerOf("lib/io/png.ts"), 1);
  assert.equal(layerOf("lib/engine/bench/x.ts"), 2);
  assert.equal(layerOf("lib/train/adamw.ts"), 3);
  assert.equal(layerOf("datasets/synthetic/synthetic_sets.ts"), 4);
  assert.equal(layerOf("lib/synthetic/motion.ts"), 4);
  assert.equal(layerOf("lib/eval/ssim.ts"), 5);
  assert.equal(layerOf("lib/report/mod.ts"), 6);
  assert.equal(layerOf("lib/workbench/mod.ts"), 7);
  assert.equal(layerOf("tools/bench/wan_bench.ts"), 8);
  assert.equal(layerOf("notebooks/01_x.ipynb"), 8);
  assert.equal(layerOf("lib/iox/a.ts"), null);
  assert.equal(layerOf("lib/misc/a.ts"), null);
  assert.equal(folderOf("lib/engine/bench/wan_bench.ts"), "lib/engine");
  assert.equal(folderOf("datasets/synthetic/mod.ts"), "datasets/synthetic");
  assert.equal(folderOf("experiments/x.ts"), "experiments");
});

Deno.test("imports are found in every form, and never inside comments or strings", () => {
  const source = [
    `import { a } from "./a.ts";`,
    `import type { B } from '../b.ts';`,
    `import * as c from "./c.ts";`,
    `import d, { e } from "./d.ts";`,
    `import {`,
    `  f,`,
    `  type G,`,
    `} from "./f.ts";`,
    `export { h } from "./h.ts";`,
    `export * from "./i.ts";`,
    `export type * as J from "./j.ts";`,
    `import "./side.ts";`,
    `const k = await import("./k.ts");`,
    `let l: import("../l.ts").L;`,
    `const m = await import(\`./m.ts\`);`,
    `const dyn = await import(\`./\${name}.ts\`); // not a literal path`,
    `// import { x } from "./comment.ts";`,
    `/**`,
    ` * import { y } from "./jsdoc.ts";`,
    ` * await import("./jsdoc2.ts");`,
    ` */`,
    `const s = "import { z } from './string.ts'";`,
    `const t = \`import("./template.ts") \${"x"} import { w } from "./t2.ts"\`;`,
    `const r = /import\\("\\.\\/regex\\.ts"\\)/;`,
    `const url = "npm:@tensorflow/tfjs-core";`,
    `import tf from "@tensorflow/tfjs-core";`,
    `x.import("./method.ts");`,
  ].join("\n");
  assert.deepEqual(importSpecifiers(source), [
    "./a.ts",
    "../b.ts",
    "./c.ts",
    "./d.ts",
    "./f.ts",
    "./h.ts",
    "./i.ts",
    "./j.ts",
    "./side.ts",
    "./k.ts",
    "../l.ts",
    "./m.ts",
    "@tensorflow/tfjs-core",
  ]);
  assert.equal(blankCommentsAndStrings(source).length, source.length);
});

Deno.test("a notebook's code cells are read and its markdown cells are not", () => {
  const nb = JSON.stringify({
    cells: [
      { cell_type: "markdown", source: ['import { a } from "../lib/workbench/mod.ts";\n'] },
      { cell_type: "code", source: ['import { b } from "../lib/report/mod.ts";\n', "b();\n"] },
      { cell_type: "code", source: 'const c = await import("../lib/eval/mod.ts");' },
    ],
  });
  assert.deepEqual(importSpecifiers(notebookCode(nb)), ["../lib/report/mod.ts", "../lib/eval/mod.ts"]);
});

Deno.test("the check names each upward import, folder cycle and unplaced folder in a small tree", async () => {
  const dir = await Deno.makeTempDir({ prefix: "import_layers_" });
  try {
    const files: Record<string, string> = {
      // lib/engine (2) imports lib/model (3): upward.
      "lib/engine/bench/bench.ts": `import { model } from "../../model/mod.ts";\n`,
      "lib/model/mod.ts": `import { io } from "../io/mod.ts";\nexport const model = io;\n`,
      "lib/io/mod.ts": `export const io = 1;\n`,
      // lib/data ↔ datasets/synthetic: a cycle within one layer.
      "lib/data/mod.ts": `import { gen } from "../../datasets/synthetic/mod.ts";\nexport const data = gen;\n`,
      "datasets/synthetic/mod.ts": `export { data as gen } from "../../lib/data/mod.ts";\n`,
      // lib/pose → lib/synthetic → datasets/real → lib/pose: a cycle of three within one layer.
      "lib/pose/mod.ts": `import "../synthetic/mod.ts";\n`,
      "lib/synthetic/mod.ts": `import "../../datasets/real/mod.ts";\n`,
      "datasets/real/mod.ts": `import type { P } from "../../lib/pose/mod.ts";\n`,
      // lib/eval (5) reaches lib/workbench (7) through a type query.
      "lib/eval/score.ts": `export type S = import("../workbench/run.ts").Run;\n`,
      "lib/workbench/run.ts": `import { score } from "../eval/score.ts";\nexport type Run = 1;\n`,
      // A folder with no layer, and lib importing tests/.
      "lib/misc/util.ts": `export const u = 1;\n`,
      "lib/report/a.ts": `import { u } from "../misc/util.ts";\nimport "../../tests/helper.ts";\n`,
      // Allowed: experiments import lib; tests import anything; comments do not count.
      "experiments/e.ts": `import "../lib/workbench/run.ts";\n// import "../tools/x.ts";\n`,
      "tests/helper.ts": `import "../experiments/e.ts";\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      await Deno.mkdir(`${dir}/${path.split("/").slice(0, -1).join("/")}`, { recursive: true });
      await Deno.writeTextFile(`${dir}/${path}`, text);
    }
    await Deno.mkdir(`${dir}/notebooks`);
    await Deno.writeTextFile(
      `${dir}/notebooks/01.ipynb`,
      JSON.stringify({ cells: [{ cell_type: "code", source: ['import "../tests/helper.ts";'] }] }),
    );
    const problems = await checkImportLayers(dir);
    assert.deepEqual(problems.sort(), [
      "folders datasets/real, lib/pose, lib/synthetic form a cycle: datasets/real/mod.ts imports lib/pose/mod.ts; lib/pose/mod.ts imports lib/synthetic/mod.ts; lib/synthetic/mod.ts imports datasets/real/mod.ts",
      "folders datasets/synthetic ↔ lib/data import each other: datasets/synthetic/mod.ts imports lib/data/mod.ts; lib/data/mod.ts imports datasets/synthetic/mod.ts",
      "folders lib/eval ↔ lib/workbench import each other: lib/eval/score.ts imports lib/workbench/run.ts; lib/workbench/run.ts imports lib/eval/score.ts",
      "lib/engine/bench/bench.ts imports lib/model/mod.ts (layer 2 → 3)",
      "lib/eval/score.ts imports lib/workbench/run.ts (layer 5 → 7)",
      "lib/report/a.ts imports lib/misc/util.ts (lib/misc/util.ts is in no layer)",
      "lib/report/a.ts imports tests/helper.ts (layer 6 → 9)",
      "notebooks/01.ipynb imports tests/helper.ts (layer 8 → 9)",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
