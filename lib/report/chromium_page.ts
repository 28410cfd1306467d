/**
 * Opens a local HTML file in headless Chromium (Debian's `chromium`, installed
 * when missing) and returns the DOM after scripts ran, plus a screenshot.
 * Started with a fresh user-data dir and no background networking, as a
 * machine without internet needs.
 */
import { ensureDebianPackages } from "../io/ensure_debian_packages.ts";

/**
 * @param htmlPath the file to open
 * @param options where to save the PNG screenshot, window size, JS time budget
 * @returns the serialised DOM after scripts ran
 * @example
 * ```ts ignore
 * const dom = await chromiumPage("notebooks/00_smoke.html", { screenshot: "/tmp/s.png" });
 * ```
 */
export async function chromiumPage(
  htmlPath: string,
  options: { screenshot?: string; width?: number; height?: number; budgetMs?: number } = {},
): Promise<string> {
  await ensureDebianPackages(["chromium"], "Rendering shared notebooks");
  const { width = 1200, height = 2400, budgetMs = 10000 } = options;
  const profile = await Deno.makeTempDir();
  const common = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", `--user-data-dir=${profile}`,
    `--virtual-time-budget=${budgetMs}`, `--window-size=${width},${height}`,
  ];
  const url = new URL(`file://${await Deno.realPath(htmlPath)}`).href;
  const run = async (extra: string[]) => {
    const r = await new Deno.Command("chromium", { args: [...common, ...extra, url], stdout: "piped", stderr: "piped" }).output();
    if (!r.success) throw new Error(`chromium failed on ${htmlPath}: ${new TextDecoder().decode(r.stderr).slice(-1500)}`);
    return new TextDecoder().decode(r.stdout);
  };
  const dom = await run(["--dump-dom"]);
  if (options.screenshot) await run([`--screenshot=${options.screenshot}`]);
  await Deno.remove(profile, { recursive: true }).catch(() => {});
  return dom;
}
