import assert from "node:assert/strict";
import { TensorCache } from "../../lib/io/tensor_cache.ts";

const tensors = (v: number) => ({
  a: { shape: [2, 3], data: Float32Array.from({ length: 6 }, (_, i) => v + i) },
  b: { shape: [4], data: new Float32Array([v, -v, 0.5, 1e-8]) },
});

Deno.test("TensorCache keys are the same for the same parts in any key order and differ for other parts", async () => {
  const k1 = await TensorCache.key({ vae: "x", clips: [0, 8], size: { h: 32, w: 32 } });
  const k2 = await TensorCache.key({ size: { w: 32, h: 32 }, clips: [0, 8], vae: "x" });
  assert.equal(k1, k2);
  assert.match(k1, /^[0-9a-f]{64}$/);
  assert.notEqual(k1, await TensorCache.key({ vae: "y", clips: [0, 8], size: { h: 32, w: 32 } }));
  assert.notEqual(k1, await TensorCache.key({ vae: "x", clips: [0, 9], size: { h: 32, w: 32 } }));
  const cache = new TensorCache(await Deno.makeTempDir());
  assert.throws(() => cache.path("../etc"), /Cannot use cache key "..\/etc": expected 64 hex digits/);
  assert.throws(() => new TensorCache("/tmp/x", { maxBytes: 0 }), /maxBytes must be > 0: received 0/);
});

Deno.test("TensorCache returns what was put, bit for bit, and null for an absent key", async () => {
  const cache = new TensorCache(`${await Deno.makeTempDir()}/nested/cache`);
  const key = await TensorCache.key({ n: 1 });
  assert.equal(await cache.get(key), null);
  await cache.put(key, tensors(3));
  const got = await cache.get(key);
  assert.deepEqual(got, tensors(3));
});

Deno.test("TensorCache detects a corrupted entry, removes it with a note and reports a miss", async () => {
  const notes: string[] = [];
  const cache = new TensorCache(await Deno.makeTempDir(), { note: (m) => notes.push(m) });
  const key = await TensorCache.key({ n: 2 });
  await cache.put(key, tensors(1));
  const bytes = await Deno.readFile(cache.path(key));
  bytes[bytes.length - 3] ^= 0x40; // one bit of the last tensor's data
  await Deno.writeFile(cache.path(key), bytes);
  assert.equal(await cache.get(key), null);
  assert.match(notes.join("\n"), /is corrupted \(its content digest [0-9a-f]{64} differs from the recorded [0-9a-f]{64}\); removed, recomputing/);
  await assert.rejects(Deno.stat(cache.path(key)), Deno.errors.NotFound);
  // A truncated file (a writer killed without the atomic rename would never leave one, but a disk could) is caught too.
  await cache.put(key, tensors(1));
  await Deno.writeFile(cache.path(key), (await Deno.readFile(cache.path(key))).subarray(0, 20));
  assert.equal(await cache.get(key), null);
  assert.equal(notes.length, 2);
});

Deno.test("TensorCache: two processes' worth of concurrent puts of one key leave one whole entry", async () => {
  const root = await Deno.makeTempDir();
  const key = await TensorCache.key({ n: 3 });
  await Promise.all([new TensorCache(root).put(key, tensors(7)), new TensorCache(root).put(key, tensors(7))]);
  assert.deepEqual(await new TensorCache(root).get(key), tensors(7));
  const files = [...Deno.readDirSync(root)].map((e) => e.name);
  assert.deepEqual(files, [`${key}.safetensors`], "no temporary file left behind");
});

Deno.test("TensorCache evicts the least recently used entries past its size limit, with a note", async () => {
  const root = await Deno.makeTempDir();
  const notes: string[] = [];
  const probe = new TensorCache(root);
  const k = await Promise.all([0, 1, 2].map((i) => TensorCache.key({ i })));
  await probe.put(k[0], tensors(0));
  const size = (await Deno.stat(probe.path(k[0]))).size;
  // Room for two entries: the third put evicts the least recently used one.
  const cache = new TensorCache(root, { maxBytes: 2 * size + 10, note: (m) => notes.push(m) });
  await Deno.utime(cache.path(k[0]), new Date(1000), new Date(1000));
  await cache.put(k[1], tensors(1));
  await Deno.utime(cache.path(k[1]), new Date(2000), new Date(2000));
  // Reading entry 0 makes it the most recently used: entry 1 is the one to go.
  assert.ok(await cache.get(k[0]));
  await cache.put(k[2], tensors(2));
  assert.equal(await cache.get(k[1]), null);
  assert.ok(await cache.get(k[0]));
  assert.ok(await cache.get(k[2]));
  assert.equal(notes.length, 1);
  assert.match(notes[0], new RegExp(`evicted .*${k[1]}\\.safetensors \\(\\d+ bytes, least recently used\\)`));
});
