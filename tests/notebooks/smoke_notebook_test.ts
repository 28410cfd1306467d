import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { readJsonl } from "../../lib/train/mod.ts";
import { executeNotebook, outputBundles } from "./execute_notebook.ts";

const root = new URL("../../", import.meta.url).pathname;

async function ablate(args: string[]): Promise<string> {
  const res = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}lib/workbench/ablate_cli.ts`, ...args],
    cwd: root,
    env: { WORKBENCH_BACKEND: "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(res.stderr) + new TextDecoder().decode(res.stdout);
  if (!res.success) throw new Error(`ablate ${args.join(" ")} failed:\n${text.slice(-4000)}`);
  return text;
}

async function ditLosses(dir: string): Promise<number[]> {
  return ((await readJsonl(`${dir}/metrics.jsonl`)) ?? []).filter((r) => r?.phase === "dit").map((r) => r!.loss as number);
}

Deno.test("the smoke sweep runs end to end, is deterministic, and 00_smoke.ipynb renders its results in Jupyter", async (t) => {
  const results = await Deno.makeTempDir();
  let runs: string[] = [];
  await t.step("ablate smoke writes two self-describing runs and a summary", async () => {
    const log = await ablate(["smoke", "--results", results]);
    assert.match(log, /engine: backend /);
    const df = pl.readParquet(`${results}/smoke/summary.parquet`);
    assert.equal(df.height, 2);
    for (const col of ["psnr", "ssim", "flicker", "vae_recon_psnr", "final_loss", "backend"]) {
      assert.ok(df.columns.includes(col), `summary lacks ${col}: ${df.columns}`);
    }
    runs = df.getColumn("run").toArray() as string[];
    for (const id of runs) {
      const cfg = JSON.parse(await Deno.readTextFile(`${results}/smoke/${id}/config.json`));
      assert.equal(typeof cfg.git_commit, "string");
      assert.equal(typeof cfg.backend, "string");
      assert.equal(cfg.seed, 0);
      assert.ok((await ditLosses(`${results}/smoke/${id}`)).length > 0);
      await Deno.stat(`${results}/smoke/${id}/checkpoints/dit.safetensors`);
    }
    // Finished runs are skipped on a second call.
    assert.match(await ablate(["smoke", "--results", results]), /done already, skipped/);
  });
  await t.step("a second run of the same config gives identical losses", async () => {
    const again = await Deno.makeTempDir();
    await ablate(["smoke", "--results", again, "--index", "0"]);
    assert.deepEqual(await ditLosses(`${again}/smoke/${runs[0]}`), await ditLosses(`${results}/smoke/${runs[0]}`));
  });
  await t.step("Ctrl-C stops after the current step with a checkpoint, and re-running resumes to the same losses", async () => {
    const dir = await Deno.makeTempDir();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${root}lib/workbench/ablate_cli.ts`, "smoke", "--results", dir, "--index", "0"],
      cwd: root,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const log = `${dir}/smoke/${runs[0]}/metrics.jsonl`;
    // Interrupt during the DiT phase, once a few steps are logged.
    for (let i = 0; i < 600; i++) {
      const rows = (await readJsonl(log)) ?? [];
      if (rows.filter((r) => r?.phase === "dit").length >= 3) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill("SIGINT");
    const { code } = await child.status;
    assert.equal(code, 130);
    const status = JSON.parse(await Deno.readTextFile(`${dir}/smoke/${runs[0]}/status.json`));
    assert.equal(status.state, "interrupted");
    const done = (await ditLosses(`${dir}/smoke/${runs[0]}`)).length;
    assert.ok(done >= 3 && done < 30, `interrupted after ${done} steps`);
    const out = await ablate(["smoke", "--results", dir, "--index", "0"]);
    assert.match(out, /resuming \(interrupted\)/);
    assert.deepEqual(await ditLosses(`${dir}/smoke/${runs[0]}`), await ditLosses(`${results}/smoke/${runs[0]}`));
  });
  await t.step("00_smoke.ipynb executes and shows the table, Plotly figures with SVG fallbacks, and sample strips", async () => {
    const nb = await executeNotebook("00_smoke.ipynb", { WORKBENCH_RESULTS: results });
    const bundles = outputBundles(nb);
    const plots = bundles.filter((b) => "application/vnd.plotly.v1+json" in b);
    const kinds = nb.cells.map((c, i) => `${i}:${(c.outputs ?? []).map((o) => Object.keys(o.data ?? {}).join("+") || o.output_type).join(",")}`);
    assert.ok(plots.length >= 3, `expected >= 3 Plotly figures, got ${plots.length}; outputs per cell: ${kinds.join(" ")}`);
    assert.ok(plots.every((b) => String(b["image/svg+xml"]).startsWith("<svg")));
    assert.ok(bundles.some((b) => String(b["text/html"] ?? "").includes("<table>")));
    assert.ok(bundles.some((b) => "image/png" in b));
  });
});

Deno.test("ablate rejects an unknown experiment, listing the known ones, and writes nothing", async () => {
  const results = await Deno.makeTempDir();
  await assert.rejects(() => ablate(["no_such_experiment", "--results", results]), /Unknown experiment "no_such_experiment". Known experiments: .*smoke/);
  assert.equal((await Array.fromAsync(Deno.readDir(results))).length, 0);
});
