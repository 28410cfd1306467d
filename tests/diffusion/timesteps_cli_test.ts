import assert from "node:assert/strict";
import { makeTimestepSampler } from "../../lib/diffusion/mod.ts";
import { runTimestepsCli } from "../../lib/diffusion/timesteps_cli.ts";
import { readSafetensors } from "../../lib/io/mod.ts";
import { Prng } from "../../lib/random/mod.ts";

function capture() {
  const out: string[] = [], err: string[] = [];
  return { io: { log: (s: string) => out.push(s), error: (s: string) => err.push(s) }, out, err };
}

Deno.test("timesteps CLI writes the sampler's draws as tensor s with its config as metadata", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/s.safetensors`;
    const { io } = capture();
    const args = ["--sampler", "low-noise-warmup", "--alpha", "0.8", "--warmup", "200", "--iteration", "50"];
    const code = await runTimestepsCli([...args, "--n", "500", "--seed", "9", "--shift", "3", "--out", path], io);
    assert.strictEqual(code, 0);
    const { tensors, metadata } = await readSafetensors(path);
    assert.deepStrictEqual(Object.keys(tensors), ["s"]);
    assert.strictEqual(tensors.s.dtype, "F32");
    assert.deepStrictEqual(tensors.s.shape, [500]);
    const config = { kind: "low-noise-warmup", alpha: 0.8, warmup: 200, shift: 3 } as const;
    assert.deepStrictEqual(tensors.s.data, makeTimestepSampler(config)(500, { prng: new Prng(9), iteration: 50 }));
    assert.deepStrictEqual(JSON.parse(metadata.sampler), config);
    assert.deepStrictEqual([metadata.iteration, metadata.seed, metadata.n], ["50", "9", "500"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("timesteps CLI takes negative values after a flag (high-noise α, logit mean)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/h.safetensors`;
    const args = ["--sampler", "high-noise-warmup", "--alpha", "-0.5", "--warmup", "10", "--n", "8", "--seed", "-4"];
    assert.strictEqual(await runTimestepsCli([...args, "--out", path], capture().io), 0);
    const { metadata } = await readSafetensors(path);
    assert.deepStrictEqual(JSON.parse(metadata.sampler), { kind: "high-noise-warmup", alpha: -0.5, warmup: 10 });
    assert.strictEqual(metadata.seed, "-4");
    const c = capture();
    assert.strictEqual(
      await runTimestepsCli(
        ["--sampler", "logit-normal", "--mean", "-1", "--n", "2", "--seed", "0", "--out", path],
        c.io,
      ),
      0,
    );
    assert.deepStrictEqual(JSON.parse((await readSafetensors(path)).metadata.sampler), {
      kind: "logit-normal",
      mean: -1,
      std: 1,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("timesteps CLI gives identical bytes for the same seed and different ones for another", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = async (seed: string, name: string) => {
      const args = ["--sampler", "logit-normal", "--mean", "0.2", "--std", "0.9", "--n", "64"];
      assert.strictEqual(await runTimestepsCli([...args, "--seed", seed, "--out", `${dir}/${name}`], capture().io), 0);
      return await Deno.readFile(`${dir}/${name}`);
    };
    const a = await run("1", "a.safetensors"), b = await run("1", "b.safetensors"), c = await run("2", "c.safetensors");
    assert.deepStrictEqual(a, b);
    assert.notDeepStrictEqual(a, c);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("timesteps CLI prints help, and rejects bad flags with exit code 1 and a clear message", async () => {
  const help = capture();
  assert.strictEqual(await runTimestepsCli(["--help"], help.io), 0);
  assert.match(help.out.join("\n"), /--sampler NAME/);
  const out = "/nonexistent-dir/x.safetensors";
  const bad: [string[], RegExp][] = [
    [["--bogus", "1"], /Unknown option '--bogus'/],
    [["--sampler", "cosine", "--n", "4", "--seed", "1", "--out", out], /--sampler must be one of .*received "cosine"/],
    [["--sampler", "uniform", "--n", "4", "--seed", "1"], /--out is required/],
    [
      ["--sampler", "uniform", "--n", "four", "--seed", "1", "--out", out],
      /--n must be a finite number: received "four"/,
    ],
    [["--sampler", "uniform", "--n", "0", "--seed", "1", "--out", out], /--n must be an integer >= 1: received "0"/],
    [
      ["--sampler", "uniform", "--alpha", "1", "--n", "4", "--seed", "1", "--out", out],
      /--alpha does not apply to --sampler uniform/,
    ],
    [
      ["--sampler", "high-noise-warmup", "--alpha", "0.5", "--warmup", "9", "--n", "4", "--seed", "1", "--out", out],
      /alpha must be in \[-1, 0\): received 0.5/,
    ],
    [
      ["--sampler", "low-noise-warmup", "--alpha", "1", "--n", "4", "--seed", "1", "--out", out],
      /--warmup is required/,
    ],
    [["--sampler", "uniform", "--n", "4", "--seed", "1", "--out", out], /NotFound|No such file/],
  ];
  for (const [args, pattern] of bad) {
    const c = capture();
    assert.strictEqual(await runTimestepsCli(args, c.io), 1, args.join(" "));
    assert.match(c.err.join("\n"), pattern, args.join(" "));
  }
});

Deno.test("timesteps CLI exits 1 on a bad flag and 0 on success as a process", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cli = new URL("../../lib/diffusion/timesteps_cli.ts", import.meta.url).pathname;
    const run = (args: string[]) =>
      new Deno.Command(Deno.execPath(), { args: ["run", "-A", cli, ...args], stdout: "piped", stderr: "piped" })
        .output();
    const bad = await run(["--sampler", "uniform", "--n", "-3", "--seed", "1", "--out", `${dir}/x.safetensors`]);
    assert.strictEqual(bad.code, 1);
    assert.match(new TextDecoder().decode(bad.stderr), /--n must be an integer >= 1: received "-3"/);
    const good = await run(["--sampler", "uniform", "--n", "3", "--seed", "1", "--out", `${dir}/x.safetensors`]);
    assert.strictEqual(good.code, 0, new TextDecoder().decode(good.stderr));
    assert.deepStrictEqual((await readSafetensors(`${dir}/x.safetensors`)).tensors.s.shape, [3]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
