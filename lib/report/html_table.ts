/**
 * Renders rows as an HTML table (numbers to 4 significant digits) with a
 * plain-text twin, for notebook outputs.
 *
 * @param rows records with the same keys
 * @param options which columns, in order (default: all of the first row)
 * @returns a MIME bundle with text/html and text/plain
 * @example
 * ```ts
 * import { tableBundle } from "./html_table.ts";
 * const b = tableBundle([{ run: "a", psnr: 12.3456 }]);
 * String(b["text/html"]).includes("12.35"); // true
 * ```
 */
export function tableBundle(
  rows: readonly Record<string, unknown>[],
  options: { columns?: string[] } = {},
): Record<string, string> {
  const cols = options.columns ?? Object.keys(rows[0] ?? {});
  const cell = (v: unknown) =>
    typeof v === "number" ? (Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString()) : v === null || v === undefined ? "" : String(v);
  const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const html = `<table><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead><tbody>${
    rows.map((r) => `<tr>${cols.map((c) => `<td>${esc(cell(r[c]))}</td>`).join("")}</tr>`).join("")
  }</tbody></table>`;
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join("  ");
  const text = [line(cols), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join("\n");
  return { "text/html": html, "text/plain": text };
}
