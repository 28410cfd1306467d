import assert from "node:assert/strict";
import {
  type AdapterLike,
  checkBufferBytes,
  describeAdapter,
  NO_ADAPTER_HINT,
  probeWebGpu,
} from "../../../lib/engine/webgpu/mod.ts";
import { simplifyTranspose } from "../../../lib/engine/webgpu/_simplify_transpose.ts";

const LAVAPIPE: AdapterLike = {
  info: {
    vendor: "65541",
    architecture: "",
    device: "0",
    description: "llvmpipe (LLVM 15.0.6, 256 bits)",
    isFallbackAdapter: true,
  },
  limits: { maxStorageBufferBindingSize: 134217728, maxBufferSize: 2147483647, maxComputeWorkgroupStorageSize: 32768 },
  features: ["timestamp-query", "shader-f16"],
};
const NVIDIA: AdapterLike = {
  info: {
    vendor: "4318",
    architecture: "",
    device: "9872",
    description: "NVIDIA GeForce RTX 4090",
    isFallbackAdapter: false,
  },
  limits: { maxStorageBufferBindingSize: 2147483644, maxBufferSize: 4294967292 },
  features: [],
};

Deno.test("describeAdapter() flags lavapipe as software and records its limits", () => {
  const a = describeAdapter(LAVAPIPE);
  assert.equal(a.software, true);
  assert.equal(a.softwareReason, "isFallbackAdapter");
  assert.equal(a.description, "llvmpipe (LLVM 15.0.6, 256 bits)");
  assert.equal(a.limits.maxStorageBufferBindingSize, 134217728);
  assert.deepEqual(a.features, ["shader-f16", "timestamp-query"]);
});

Deno.test("describeAdapter() flags Mesa's vendor id or a software renderer's name without isFallbackAdapter", () => {
  const byVendor = describeAdapter({ ...LAVAPIPE, info: { ...LAVAPIPE.info, isFallbackAdapter: false } });
  assert.equal(byVendor.softwareReason, "vendor 65541 (Mesa software device)");
  const byName = describeAdapter({
    info: { vendor: "0x1ae0", description: "SwiftShader Device (Subzero)" },
    limits: {},
    features: [],
  });
  assert.equal(byName.softwareReason, "description SwiftShader");
  // Older Deno: isFallbackAdapter on the adapter, no info.
  assert.equal(describeAdapter({ isFallbackAdapter: true, limits: {}, features: [] }).software, true);
});

Deno.test("describeAdapter() takes a discrete GPU as hardware", () => {
  const a = describeAdapter(NVIDIA);
  assert.equal(a.software, false);
  assert.equal(a.softwareReason, undefined);
  assert.equal(a.limits.maxBufferSize, 4294967292);
});

Deno.test("probeWebGpu() says why when navigator.gpu is undefined, there is no adapter, or asking fails", async () => {
  const none = await probeWebGpu({ gpu: undefined });
  assert.equal(none.ok, false);
  assert.match(!none.ok ? none.reason : "", /navigator\.gpu is undefined.*--unstable-webgpu/);
  const empty = await probeWebGpu({ gpu: { requestAdapter: () => Promise.resolve(null) } });
  assert.equal(!empty.ok && empty.reason, `no WebGPU adapter: ${NO_ADAPTER_HINT}`);
  const failing = await probeWebGpu({
    gpu: { requestAdapter: () => Promise.reject(new Error("vkCreateInstance failed")) },
  });
  assert.equal(!failing.ok && failing.reason, "navigator.gpu.requestAdapter() failed: vkCreateInstance failed");
});

Deno.test("probeWebGpu() describes the adapter a GPU entry point returns", async () => {
  const fake = { requestAdapter: () => Promise.resolve(NVIDIA as unknown as GPUAdapter) };
  const p = await probeWebGpu({ gpu: fake });
  assert.equal(p.ok && p.info.description, "NVIDIA GeForce RTX 4090");
});

Deno.test("checkBufferBytes() returns 4 bytes per element and names the tensor, shape and both sizes past the limit", () => {
  assert.equal(checkBufferBytes([2, 3], { what: "x", limit: 24 }), 24);
  assert.throws(
    () => checkBufferBytes([1, 12, 4096, 4096], { what: "attention scores", limit: 128 * 2 ** 20 }),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        "Cannot run attention scores [1,12,4096,4096] on webgpu as it needs 805306368 bytes (768.0 MiB), more than " +
          "the device's maxStorageBufferBindingSize of 134217728 bytes (128.0 MiB): use a smaller batch, resolution or " +
          "sequence, or the cpu/blas backend",
  );
  assert.throws(() => checkBufferBytes([1], { what: "x", limit: 0 }), /limit must be > 0 bytes: received 0/);
});

Deno.test("simplifyTranspose() drops unit axes and merges axes that stay adjacent", () => {
  // Wan's patch embedding with pt = 1: (B, C, F', 1, H', ph, W', pw) → (B, F', H', W', C, 1, ph, pw);
  // without the unit axis F' and H' are adjacent on both sides: a rank-6 transpose of (B, C, F'·H', ph, W', pw).
  assert.deepEqual(simplifyTranspose([2, 4, 3, 1, 2, 2, 2, 2], [0, 2, 4, 6, 1, 3, 5, 7]), {
    shape: [2, 4, 6, 2, 2, 2],
    perm: [0, 2, 4, 1, 3, 5],
  });
  // With B = 1 and single-frame latents the same view is rank 5.
  assert.deepEqual(simplifyTranspose([1, 4, 1, 1, 2, 2, 2, 2], [0, 2, 4, 6, 1, 3, 5, 7]), {
    shape: [4, 2, 2, 2, 2],
    perm: [1, 3, 0, 2, 4],
  });
  assert.deepEqual(simplifyTranspose([2, 3, 4, 5], [0, 1, 3, 2]), { shape: [6, 4, 5], perm: [0, 2, 1] });
  assert.deepEqual(simplifyTranspose([1, 1, 3], [2, 1, 0]), { shape: [3], perm: [0] });
});

Deno.test("initEngine('auto') uses webgpu only on a hardware adapter and notes why not otherwise", async () => {
  const root = new URL("../../../", import.meta.url).pathname;
  const script = `import { initEngine } from "./lib/engine/mod.ts"; console.log(JSON.stringify(await initEngine()));`;
  const env = Deno.env.toObject();
  delete (env as Record<string, string | undefined>).WORKBENCH_BACKEND;
  const run = async (args: string[]) => {
    const o = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: root,
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    return new TextDecoder().decode(o.stdout).trim().split("\n").at(-1)!;
  };
  const probe = JSON.parse(
    await run(["run", "-A", "--config", `${root}deno.json`, "lib/engine/webgpu/adapter_info_cli.ts", "--json"]),
  );
  const info = JSON.parse(await run(["eval", "--config", `${root}deno.json`, script]));
  if (probe.ok && !probe.adapter.software) {
    assert.equal(info.backend, "webgpu");
    assert.equal(info.adapter.description, probe.adapter.description);
  } else {
    assert.notEqual(info.backend, "webgpu");
    assert.equal(info.adapter, undefined);
    const note = info.notes.find((n: string) => n.startsWith("webgpu: "));
    assert.ok(note, info.notes.join("; "));
    if (probe.ok) assert.match(note, /software one .*used only when asked for by name \(--backend webgpu\)/);
    else assert.equal(note, `webgpu: ${probe.reason}`);
  }
});
