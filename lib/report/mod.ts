/** Figures and tables for notebooks: Plotly JSON with static SVG fallbacks, HTML tables. */
export { lineFigure, PALETTE } from "./line_figure.ts";
export type { Figure, Series } from "./line_figure.ts";
export { displayFigure, figureBundle } from "./display_figure.ts";
export { tableBundle } from "./html_table.ts";
export { loadSweep } from "./load_sweep.ts";
export type { StoredRun, StoredSweep } from "./load_sweep.ts";
export { videoStrip, writeVideoStrip } from "./video_strip.ts";
export type { StripSize } from "./video_strip.ts";
export { warmupDensitySvg } from "./warmup_density_svg.ts";
export { ropeGridSvg } from "./rope_grid_svg.ts";
export { shareNotebook } from "./share_notebook.ts";
export { chromiumPage } from "./chromium_page.ts";
