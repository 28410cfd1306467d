/**
 * `deno task share <notebook.ipynb> [--out FILE.html]`: a self-contained HTML
 * export (Plotly inline, works offline) of an executed notebook.
 */
import { shareNotebook } from "../share_notebook.ts";

if (import.meta.main) {
  const args = [...Deno.args];
  if (args.length === 0 || args.includes("--help")) {
    console.log("Usage: deno task share <notebook.ipynb> [--out FILE.html]");
    Deno.exit(args.length === 0 ? 2 : 0);
  }
  const i = args.indexOf("--out");
  const out = i >= 0 ? args.splice(i, 2)[1] : undefined;
  try {
    console.log(await shareNotebook(args[0], { out }));
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
