/**
 * README.md is a user's manual: at most 300 lines, its two Quick start
 * commands unchanged, every file it links present, and a paper → file table
 * that links the file named after each of the paper's formulas.
 */
import assert from "node:assert/strict";

const root = new URL("../../", import.meta.url);
const readme = await Deno.readTextFile(new URL("README.md", root));

/** The relative targets of Markdown links `[text](target)`, anchors dropped. */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith("#"))
    .map((t) => t.split("#")[0]);
}

Deno.test("README.md has at most 300 lines", () => {
  const lines = readme.split("\n").length - (readme.endsWith("\n") ? 1 : 0);
  assert.ok(lines <= 300, `README.md has ${lines} lines`);
});

Deno.test("README.md's Quick start keeps its two commands", () => {
  assert.match(readme, /^npx -y deno@2\.9\.6 task ablate smoke {3}#/m);
  assert.match(readme, /^npx -y deno@2\.9\.6 task test {11}#/m);
});

Deno.test("every file README.md links exists", async () => {
  const links = relativeLinks(readme);
  assert.ok(links.length > 20, `found ${links.length} links`);
  const missing: string[] = [];
  for (const link of links) {
    await Deno.stat(new URL(link, root)).catch(() => missing.push(link));
  }
  assert.deepEqual(missing, [], `README.md links files that do not exist: ${missing.join(", ")}`);
});

Deno.test("README.md's paper → file table links the file of each of the paper's formulas", () => {
  const table = readme.slice(
    readme.indexOf("## The paper"),
    readme.indexOf("\n## ", readme.indexOf("## The paper") + 1),
  );
  const linked = new Set(relativeLinks(table));
  for (
    const file of [
      "lib/model/designs/shifted_rope_positions.ts",
      "lib/model/designs/concat_reference.ts",
      "lib/model/designs/pose_projection.ts",
      "lib/diffusion/timesteps/low_noise_warmup.ts",
      "lib/diffusion/timesteps/high_noise_warmup.ts",
      "lib/diffusion/classifier_free_guidance.ts",
      "lib/model/designs/drop_conditions.ts",
      "lib/model/designs/resolve_trainable.ts",
      "lib/diffusion/flow_matching.ts",
      "lib/eval/ssim.ts",
      "lib/eval/psnr.ts",
      "lib/eval/fid.ts",
      "lib/eval/fvd.ts",
      "lib/eval/lpips.ts",
    ]
  ) {
    assert.ok(linked.has(file), `the paper → file table does not link ${file}`);
  }
});
