/**
 * The import-layer check of design.md ("Layers"): every module imports only
 * from its own layer or below, and no two folders import each other.
 *
 * Layers, bottom up:
 * 1. lib/io, lib/random
 * 2. lib/engine
 * 3. lib/model, lib/diffusion, lib/vae, lib/train
 * 4. lib/data, lib/synthetic, lib/pose, datasets/
 * 5. lib/eval
 * 6. lib/report
 * 7. lib/workbench
 * 8. experiments/, notebooks/ (the code cells of *.ipynb), tools/
 *
 * tests/ is not checked as an importer (a test may import anything), but
 * nothing outside tests/ may import from it. A folder under lib/ that is not
 * listed has no layer and is reported, so a new folder must be placed.
 *
 * An import is a static `import … from "…"`, `export … from "…"`,
 * `import "…"`, or an `import("…")` of a literal path (a dynamic import or a
 * type query); comments and other string contents are skipped. Bare and
 * remote specifiers (npm:, jsr:, "@tensorflow/…") are not files of the
 * repository and are ignored.
 *
 * @example
 * ```ts ignore
 * import { checkImportLayers } from "./_import_layers.ts";
 * const problems = await checkImportLayers("/work/main");
 * // ["lib/eval/x.ts imports lib/workbench/y.ts (layer 5 → 7)", …]
 * ```
 */

/** Folders (path prefixes, relative to the root) and their layers. */
export const LAYERS: ReadonlyArray<readonly [prefix: string, layer: number]> = [
  ["lib/io", 1],
  ["lib/random", 1],
  ["lib/engine", 2],
  ["lib/model", 3],
  ["lib/diffusion", 3],
  ["lib/vae", 3],
  ["lib/train", 3],
  ["lib/data", 4],
  ["lib/synthetic", 4],
  ["lib/pose", 4],
  ["datasets", 4],
  ["lib/eval", 5],
  ["lib/report", 6],
  ["lib/workbench", 7],
  ["experiments", 8],
  ["notebooks", 8],
  ["tools", 8],
  ["tests", 9],
];

/** The top-level folders whose code is checked as importers. */
export const CHECKED_ROOTS = ["lib", "datasets", "experiments", "tools", "notebooks"] as const;

/**
 * @param path a file's path relative to the repository root ("lib/eval/ssim.ts")
 * @returns its layer (1 … 9, tests being 9), or null when its folder has none
 */
export function layerOf(path: string): number | null {
  for (const [prefix, layer] of LAYERS) {
    if (path === prefix || path.startsWith(prefix + "/")) return layer;
  }
  return null;
}

/**
 * The unit of the folder-cycle check: lib/<x>, datasets/<x> and tools/<x>
 * (with everything below them), or the top-level folder for the others.
 *
 * @param path a file's path relative to the repository root
 * @returns its folder ("lib/engine" for "lib/engine/bench/wan_bench.ts")
 */
export function folderOf(path: string): string {
  const parts = path.split("/");
  if (["lib", "datasets", "tools"].includes(parts[0]) && parts.length > 2) return parts.slice(0, 2).join("/");
  return parts[0];
}

/**
 * Blanks out comments and the contents of string and template literals
 * (keeping their quotes and the line breaks), so that what looks like an
 * import inside them is not one. Regular-expression literals are recognised
 * by the usual rule: a `/` where an expression may begin.
 *
 * @param source TypeScript source
 * @returns the same text with comments and literal contents replaced by spaces
 */
export function blankCommentsAndStrings(source: string): string {
  const out: string[] = [];
  // Each open template literal pushes the brace depth at which its `${` began.
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  let lastSignificant = ""; // last non-space code character, for the regex rule
  let lastWord = "";
  const blank = (ch: string) => (ch === "\n" ? "\n" : " ");
  const n = source.length;
  const readString = (quote: string) => {
    out.push(quote);
    i++;
    while (i < n && source[i] !== quote && source[i] !== "\n") {
      if (source[i] === "\\" && i + 1 < n) {
        out.push(" ", blank(source[i + 1]));
        i += 2;
        continue;
      }
      out.push(source[i] === quote ? quote : " ");
      i++;
    }
    if (i < n) out.push(source[i++]);
  };
  // Reads template text up to its end (`) or the next `${`; returns true at `${`.
  const readTemplateText = (): boolean => {
    while (i < n) {
      const ch = source[i];
      if (ch === "\\" && i + 1 < n) {
        out.push(" ", blank(source[i + 1]));
        i += 2;
      } else if (ch === "`") {
        out.push("`");
        i++;
        return false;
      } else if (ch === "$" && source[i + 1] === "{") {
        out.push("${");
        i += 2;
        return true;
      } else {
        out.push(blank(ch));
        i++;
      }
    }
    return false;
  };
  while (i < n) {
    const ch = source[i];
    const next = source[i + 1];
    if (ch === "/" && next === "/") {
      while (i < n && source[i] !== "\n") out.push(" "), i++;
      continue;
    }
    if (ch === "/" && next === "*") {
      while (i < n && !(source[i] === "*" && source[i + 1] === "/")) out.push(blank(source[i])), i++;
      if (i < n) out.push("  "), i += 2;
      continue;
    }
    if (ch === '"' || ch === "'") {
      readString(ch);
      lastSignificant = ch;
      lastWord = "";
      continue;
    }
    if (ch === "`") {
      out.push("`");
      i++;
      if (readTemplateText()) templates.push(depth), depth++;
      lastSignificant = "`";
      lastWord = "";
      continue;
    }
    if (ch === "/") {
      const regexMayStart = lastSignificant === "" || "(,=:[!&|?{};+-*%<>~^".includes(lastSignificant) ||
        ["return", "typeof", "case", "do", "else", "in", "of", "void", "yield", "await"].includes(lastWord);
      if (regexMayStart) {
        out.push("/");
        i++;
        let inClass = false;
        while (i < n && source[i] !== "\n") {
          const c = source[i];
          if (c === "\\") {
            out.push("  ");
            i += 2;
            continue;
          }
          if (c === "[") inClass = true;
          else if (c === "]") inClass = false;
          else if (c === "/" && !inClass) break;
          out.push(" ");
          i++;
        }
        if (i < n && source[i] === "/") out.push("/"), i++;
        lastSignificant = "/";
        lastWord = "";
        continue;
      }
    }
    if (ch === "{") depth++;
    if (ch === "}") {
      depth--;
      if (templates.length > 0 && templates[templates.length - 1] === depth) {
        templates.pop();
        out.push("}");
        i++;
        if (readTemplateText()) templates.push(depth), depth++;
        lastSignificant = "`";
        lastWord = "";
        continue;
      }
    }
    out.push(ch);
    i++;
    if (/\s/.test(ch)) continue;
    if (/[\w$]/.test(ch)) {
      lastWord = /[\w$]/.test(lastSignificant) ? lastWord + ch : ch;
    } else {
      lastWord = "";
    }
    lastSignificant = ch;
  }
  return out.join("");
}

const STATIC_FROM =
  /(?:^|[;\n}])[ \t]*(?:import|export)\s+(?:type\s+)?(?:[\w$]+\s*,\s*)?(?:[\w$]+|\{[^}]*\}|\*(?:\s+as\s+[\w$]+)?)\s*from\s*(["'])/g;
const SIDE_EFFECT = /(?:^|[;\n}])[ \t]*import\s*(["'])/g;
const DYNAMIC = /(?<![\w$.])import\s*\(\s*(["'`])/g;

/**
 * @param source TypeScript source
 * @returns the specifiers it imports, in order of appearance
 */
export function importSpecifiers(source: string): string[] {
  const code = blankCommentsAndStrings(source);
  const found: Array<[number, string]> = [];
  for (const re of [STATIC_FROM, SIDE_EFFECT, DYNAMIC]) {
    for (const m of code.matchAll(re)) {
      const quoteAt = m.index! + m[0].length - 1;
      const quote = m[1];
      const end = source.indexOf(quote, quoteAt + 1);
      if (end < 0) continue;
      const specifier = source.slice(quoteAt + 1, end);
      // A template literal with substitutions is not a literal path.
      if (quote === "`" && specifier.includes("${")) continue;
      if (re === DYNAMIC && !/^\s*[,)]/.test(code.slice(end + 1))) continue;
      found.push([quoteAt, specifier]);
    }
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, s]) => s);
}

/** One import of one repository file by another. */
export interface RepoImport {
  /** The importing file, relative to the root. */
  from: string;
  /** The imported file, relative to the root. */
  to: string;
}

async function* walk(dir: string, rel: string): AsyncGenerator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = [];
    for await (const e of Deno.readDir(dir)) entries.push(e);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) yield* walk(`${dir}/${e.name}`, path);
    else if (e.isFile && (e.name.endsWith(".ts") || e.name.endsWith(".ipynb"))) yield path;
  }
}

/**
 * @param notebook the text of a .ipynb file
 * @returns its code cells joined, one cell after another
 */
export function notebookCode(notebook: string): string {
  const nb = JSON.parse(notebook) as { cells?: Array<{ cell_type: string; source: string | string[] }> };
  return (nb.cells ?? [])
    .filter((c) => c.cell_type === "code")
    .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source))
    .join("\n;\n");
}

function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return null;
  const parts = from.split("/").slice(0, -1);
  for (const p of specifier.split(/[?#]/)[0].split("/")) {
    if (p === "." || p === "") continue;
    if (p === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(p);
  }
  return parts.join("/");
}

/**
 * @param root the repository root
 * @returns every import of a repository file by a .ts file or notebook under
 *   lib/, datasets/, experiments/, tools/ or notebooks/
 */
export async function collectImports(root: string): Promise<RepoImport[]> {
  const imports: RepoImport[] = [];
  for (const top of CHECKED_ROOTS) {
    for await (const path of walk(`${root}/${top}`, top)) {
      if (path.endsWith(".ipynb") && top !== "notebooks") continue;
      const text = await Deno.readTextFile(`${root}/${path}`);
      const code = path.endsWith(".ipynb") ? notebookCode(text) : text;
      for (const specifier of importSpecifiers(code)) {
        const to = resolve(path, specifier);
        if (to !== null) imports.push({ from: path, to });
      }
    }
  }
  return imports;
}

/**
 * @param imports the imports between repository files
 * @returns one line per violation: each upward import
 *   ("A imports B (layer x → y)"), each import of or from a path with no
 *   layer, each pair of folders that import each other
 *   ("folders X ↔ Y import each other: A imports B; C imports D"), and each
 *   longer cycle of folders
 */
export function layerViolations(imports: readonly RepoImport[]): string[] {
  const problems: string[] = [];
  const edges = new Map<string, Map<string, RepoImport>>(); // folder → folder → first import
  for (const imp of imports) {
    const a = layerOf(imp.from);
    const b = layerOf(imp.to);
    if (a === null) problems.push(`${imp.from} imports ${imp.to} (${imp.from} is in no layer)`);
    else if (b === null) problems.push(`${imp.from} imports ${imp.to} (${imp.to} is in no layer)`);
    else if (b > a) problems.push(`${imp.from} imports ${imp.to} (layer ${a} → ${b})`);
    const fa = folderOf(imp.from);
    const fb = folderOf(imp.to);
    if (fa === fb) continue;
    const out = edges.get(fa) ?? new Map<string, RepoImport>();
    if (!out.has(fb)) out.set(fb, imp);
    edges.set(fa, out);
  }
  const say = (imp: RepoImport) => `${imp.from} imports ${imp.to}`;
  // Pairs of folders that import each other.
  const folders = [...edges.keys()].sort();
  for (const x of folders) {
    for (const [y, imp] of [...edges.get(x)!].sort(([p], [q]) => p.localeCompare(q))) {
      if (x < y && edges.get(y)?.has(x)) {
        problems.push(`folders ${x} ↔ ${y} import each other: ${say(imp)}; ${say(edges.get(y)!.get(x)!)}`);
      }
    }
  }
  // Longer cycles: strongly connected components (Tarjan) with a member not
  // already explained by a pair.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let counter = 0;
  const components: string[][] = [];
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of [...(edges.get(v)?.keys() ?? [])].sort()) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 2) components.push(component.sort());
    }
  };
  for (const v of folders) if (!index.has(v)) connect(v);
  for (const component of components) {
    const inside = component.flatMap((x) =>
      [...(edges.get(x) ?? [])].filter(([y]) => component.includes(y)).map(([, imp]) => say(imp))
    );
    problems.push(`folders ${component.join(", ")} form a cycle: ${inside.join("; ")}`);
  }
  return problems;
}

/**
 * @param root the repository root
 * @returns every violation of the layers under root (empty when they hold)
 */
export async function checkImportLayers(root: string): Promise<string[]> {
  return layerViolations(await collectImports(root));
}
