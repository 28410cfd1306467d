import assert from "node:assert/strict";
import { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors } from "../../lib/io/mod.ts";
import { Prng } from "../../lib/random/mod.ts";

/** Builds a file by hand: header object as given (no padding), then data bytes. */
function rawFile(header: unknown, data: number[] | Uint8Array, headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function u16At(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8);
}

function dataStart(bytes: Uint8Array): number {
  return 8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
}

Deno.test("encodeSafetensors() produces the byte-exact layout of a hand-built F32 file", () => {
  const got = encodeSafetensors({ a: { shape: [2], data: new Float32Array([1, -2]) } });
  const json = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}' + "  "; // 54 bytes + 2 spaces of padding
  // deno-fmt-ignore
  const expected = new Uint8Array([
    56, 0, 0, 0, 0, 0, 0, 0, // header length, u64 little-endian
    ...new TextEncoder().encode(json),
    0x00, 0x00, 0x80, 0x3f, // 1.0f little-endian
    0x00, 0x00, 0x00, 0xc0, // -2.0f
  ]);
  assert.deepStrictEqual(got, expected);
});

Deno.test("encodeSafetensors() puts __metadata__ first and pads with spaces to 8 bytes", () => {
  const got = encodeSafetensors({ a: { shape: [], data: new Float32Array([1]), dtype: "F16" } }, { k: "v" });
  const json = '{"__metadata__":{"k":"v"},"a":{"dtype":"F16","shape":[],"data_offsets":[0,2]}}' + "  ";
  const expected = new Uint8Array([80, 0, 0, 0, 0, 0, 0, 0, ...new TextEncoder().encode(json), 0x00, 0x3c]);
  assert.deepStrictEqual(got, expected);
});

Deno.test("F32 round trip keeps shapes, values, metadata, scalars and empty tensors", () => {
  const w = new Float32Array(24).map((_, i) => i * 0.25 - 3);
  const bytes = encodeSafetensors(
    {
      "blocks.0.self_attn.q.weight": { shape: [2, 3, 4], data: w },
      scalar: { shape: [], data: new Float32Array([Math.PI]) },
      empty: { shape: [0, 3], data: new Float32Array(0) },
    },
    { format: "pt", step: "12" },
  );
  const { tensors, metadata } = decodeSafetensors(bytes);
  assert.deepStrictEqual(metadata, { format: "pt", step: "12" });
  assert.deepStrictEqual(tensors["blocks.0.self_attn.q.weight"], { dtype: "F32", shape: [2, 3, 4], data: w });
  assert.deepStrictEqual(tensors.scalar, { dtype: "F32", shape: [], data: new Float32Array([Math.PI]) });
  assert.deepStrictEqual(tensors.empty, { dtype: "F32", shape: [0, 3], data: new Float32Array(0) });
});

Deno.test("F16 writing rounds to nearest even, saturates to Inf and keeps subnormals, NaN and signs", () => {
  const cases: [number, number][] = [
    [1.0, 0x3c00],
    [-2.5, 0xc100],
    [65504, 0x7bff], // largest finite half
    [65519, 0x7bff], // below the midway point 65520
    [65520, 0x7c00], // midway to 65536: ties to even → Inf
    [1e6, 0x7c00],
    [-Infinity, 0xfc00],
    [Infinity, 0x7c00],
    [NaN, 0x7e00],
    [-0, 0x8000],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [1023 * 2 ** -24, 0x03ff], // largest subnormal
    [2 ** -25, 0x0000], // midway between 0 and 2^-24: ties to even → 0
    [3 * 2 ** -26, 0x0001], // 1.5 · 2^-25 rounds up
    [3 * 2 ** -25, 0x0002], // 1.5 · 2^-24: tie between 1 and 2 → even 2
    [1 / 3, 0x3555],
    [1 + 2 ** -11, 0x3c00], // tie between 0x3c00 and 0x3c01 → even
    [1 + 3 * 2 ** -11, 0x3c02], // tie between 0x3c01 and 0x3c02 → even
  ];
  const bytes = encodeSafetensors({
    h: { shape: [cases.length], data: new Float32Array(cases.map((c) => c[0])), dtype: "F16" },
  });
  const at = dataStart(bytes);
  cases.forEach(([x, bits], i) => assert.strictEqual(u16At(bytes, at + 2 * i), bits, `F16 bits of ${x}`));
  const back = decodeSafetensors(bytes).tensors.h;
  assert.strictEqual(back.dtype, "F16");
  const expected = [
    1,
    -2.5,
    65504,
    65504,
    Infinity,
    Infinity,
    -Infinity,
    Infinity,
    NaN,
    -0,
    2 ** -14,
    2 ** -24,
    1023 * 2 ** -24,
    0,
    2 ** -24,
    2 * 2 ** -24,
    0.333251953125,
    1,
    1 + 2 ** -9,
  ];
  expected.forEach((v, i) => assert.ok(Object.is(back.data[i], v), `F16 decode #${i}: ${back.data[i]} vs ${v}`));
});

Deno.test("BF16 writing rounds to nearest even and decodes exactly", () => {
  const cases: [number, number][] = [
    [1.0, 0x3f80],
    [-2.5, 0xc020],
    [1 + 2 ** -8, 0x3f80], // tie → even (down)
    [1 + 3 * 2 ** -8, 0x3f82], // tie → even (up)
    [1 + 2 ** -8 + 2 ** -20, 0x3f81], // just above the tie
    [3.4028234663852886e38, 0x7f80], // largest float32 rounds to Inf
    [Infinity, 0x7f80],
    [-Infinity, 0xff80],
    [NaN, 0x7fc0],
    [-0, 0x8000],
    [2 ** -133, 0x0001], // float32 subnormal stays a bf16 subnormal
  ];
  const bytes = encodeSafetensors({
    b: { shape: [cases.length], data: new Float32Array(cases.map((c) => c[0])), dtype: "BF16" },
  });
  const at = dataStart(bytes);
  cases.forEach(([x, bits], i) => assert.strictEqual(u16At(bytes, at + 2 * i), bits, `BF16 bits of ${x}`));
  const back = decodeSafetensors(bytes).tensors.b.data;
  const expected = [1, -2.5, 1, 1 + 2 ** -6, 1 + 2 ** -7, Infinity, Infinity, -Infinity, NaN, -0, 2 ** -133];
  expected.forEach((v, i) => assert.ok(Object.is(back[i], v), `BF16 decode #${i}: ${back[i]} vs ${v}`));
});

Deno.test("encodeSafetensors() lays out wider dtypes first so every tensor is aligned", () => {
  const bytes = encodeSafetensors({
    a: { shape: [3], data: new Float32Array([1, 2, 3]), dtype: "F16" },
    b: { shape: [1], data: new Uint8Array([7]) },
    c: { shape: [2], data: new Float32Array([4, 5]) },
  });
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, dataStart(bytes))));
  assert.deepStrictEqual(Object.keys(header), ["a", "b", "c"]);
  assert.deepStrictEqual(header.c.data_offsets, [0, 8]);
  assert.deepStrictEqual(header.a.data_offsets, [8, 14]);
  assert.deepStrictEqual(header.b, { dtype: "U8", shape: [1], data_offsets: [14, 15] });
  assert.strictEqual(dataStart(bytes) % 8, 0);
  const t = decodeSafetensors(bytes).tensors;
  assert.deepStrictEqual(Array.from(t.a.data), [1, 2, 3]);
  assert.deepStrictEqual(Array.from(t.b.data), [7]);
  assert.deepStrictEqual(Array.from(t.c.data), [4, 5]);
});

Deno.test("decodeSafetensors() reads integer, boolean and F64 dtypes as float32", () => {
  const parts: [string, string, number[], number[]][] = [
    // name, dtype, little-endian bytes, expected values
    ["bool", "BOOL", [0, 1, 2], [0, 1, 1]],
    ["i16", "I16", [0xff, 0xff, 0x00, 0x80], [-1, -32768]],
    ["i32", "I32", [0xfe, 0xff, 0xff, 0xff, 0x10, 0, 0, 0], [-2, 16]],
    ["i64", "I64", [0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [-3]],
    ["i8", "I8", [0x80, 0x7f], [-128, 127]],
    ["f64", "F64", [0, 0, 0, 0, 0, 0, 0xf8, 0x3f], [1.5]],
    ["u8", "U8", [0, 255], [0, 255]],
  ];
  const header: Record<string, unknown> = {};
  const data: number[] = [];
  for (const [name, dtype, bytes, values] of parts) {
    header[name] = { dtype, shape: [values.length], data_offsets: [data.length, data.length + bytes.length] };
    data.push(...bytes);
  }
  const { tensors } = decodeSafetensors(rawFile(header, data));
  for (const [name, dtype, , values] of parts) {
    assert.strictEqual(tensors[name].dtype, dtype);
    assert.deepStrictEqual(Array.from(tensors[name].data), values, name);
  }
});

Deno.test("decodeSafetensors() reads unaligned F32 data and tolerates a header without padding", () => {
  const header = {
    b: { dtype: "U8", shape: [1], data_offsets: [0, 1] },
    a: { dtype: "F32", shape: [1], data_offsets: [1, 5] },
  };
  const { tensors } = decodeSafetensors(rawFile(header, [9, 0, 0, 0x80, 0x3f]));
  assert.deepStrictEqual(Array.from(tensors.a.data), [1]);
  assert.deepStrictEqual(Array.from(tensors.b.data), [9]);
});

Deno.test("a tensor named __proto__ becomes an own property, not a prototype", () => {
  const header = JSON.parse('{"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}');
  const { tensors } = decodeSafetensors(rawFile(header, [5]));
  assert.ok(Object.hasOwn(tensors, "__proto__"));
  assert.strictEqual(Object.getPrototypeOf(tensors), Object.prototype);
  assert.deepStrictEqual(Array.from(tensors["__proto__"].data), [5]);
});

Deno.test("decodeSafetensors() rejects malformed files with errors naming the file and the problem", () => {
  const ok = { a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } };
  const eight = [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40];
  const cases: [string, Uint8Array, RegExp][] = [
    ["short", new Uint8Array(5), /shorter than the 8-byte header length/],
    ["huge header", rawFile(ok, eight, 100_000_001), /exceeds the limit/],
    ["past end", rawFile(ok, eight, 4096), /runs past the end/],
    ["not json", rawFile("x", []).map((b, i) => (i === 8 ? 0x7b : b)), /not valid JSON/],
    ["array", rawFile([1, 2], []), /must be an object/],
    [
      "dtype",
      rawFile({ w: { dtype: "F8_E4M3", shape: [1], data_offsets: [0, 1] } }, [0]),
      /tensor "w" has unsupported dtype "F8_E4M3"/,
    ],
    ["shape", rawFile({ w: { dtype: "U8", shape: [-1], data_offsets: [0, 1] } }, [0]), /tensor "w" shape must be/],
    [
      "shape float",
      rawFile({ w: { dtype: "U8", shape: [1.5], data_offsets: [0, 1] } }, [0]),
      /tensor "w" shape must be/,
    ],
    ["offsets", rawFile({ w: { dtype: "U8", shape: [1], data_offsets: [0] } }, [0]), /data_offsets must be/],
    ["outside", rawFile({ w: { dtype: "U8", shape: [2], data_offsets: [0, 2] } }, [0]), /outside the 1-byte data area/],
    [
      "size",
      rawFile({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, eight),
      /needing 12 bytes but data_offsets \[0, 8\] hold 8/,
    ],
    [
      "overlap",
      rawFile({
        a: { dtype: "U8", shape: [2], data_offsets: [0, 2] },
        b: { dtype: "U8", shape: [2], data_offsets: [1, 3] },
      }, [1, 2, 3]),
      /overlap/,
    ],
    ["hole", rawFile({ a: { dtype: "U8", shape: [1], data_offsets: [1, 2] } }, [1, 2]), /hole at bytes \[0, 1\)/],
    [
      "trailing",
      rawFile({ a: { dtype: "U8", shape: [1], data_offsets: [0, 1] } }, [1, 2]),
      /cover 1 bytes but the data area holds 2/,
    ],
    ["metadata", rawFile({ __metadata__: { k: 1 } }, []), /__metadata__ entry "k" must be a string/],
    ["utf8", rawFile({ a: "x" }, []).map((b, i) => (i === 10 ? 0xff : b)), /not valid UTF-8/],
  ];
  for (const [label, bytes, pattern] of cases) {
    assert.throws(
      () => decodeSafetensors(bytes, `bad-${label}.safetensors`),
      (e: unknown) => {
        assert.ok(e instanceof Error && e.constructor === Error, `${label}: plain Error expected, got ${e}`);
        assert.match(e.message, /^Cannot read safetensors "bad-.*\.safetensors": /, label);
        assert.match(e.message, pattern, label);
        return true;
      },
    );
  }
});

Deno.test("encodeSafetensors() refuses inconsistent input with specific errors", () => {
  assert.throws(() => encodeSafetensors({ w: { shape: [2, 2], data: new Float32Array(3) } }), RangeError);
  assert.throws(
    () => encodeSafetensors({ w: { shape: [-1], data: new Float32Array(0) } }),
    /shape must be non-negative integers, received \[-1\]/,
  );
  assert.throws(
    () => encodeSafetensors({ w: { shape: [1], data: new Float32Array([256]), dtype: "U8" } }),
    /\[0, 255\], received 256/,
  );
  assert.throws(() => encodeSafetensors({ w: { shape: [1], data: new Uint8Array(1), dtype: "F16" } }), TypeError);
  assert.throws(
    () => encodeSafetensors({ w: { shape: [1], data: new Float32Array(1), dtype: "F8" as "F16" } }),
    /dtype must be F32, F16, BF16 or U8/,
  );
  assert.throws(() => encodeSafetensors({ __metadata__: { shape: [0], data: new Float32Array(0) } }), /reserved/);
  assert.throws(() => encodeSafetensors({}, { n: 1 as unknown as string }), /values must be strings/);
});

Deno.test("writeSafetensors() and readSafetensors() round trip a file on disk", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/w.safetensors`;
    const data = new Float32Array([0.1, -0.2, 0.3, 1e-3, 7]);
    await writeSafetensors(path, { x: { shape: [5], data, dtype: "BF16" }, y: { shape: [5], data } }, { note: "ü" });
    const { tensors, metadata } = await readSafetensors(path);
    assert.deepStrictEqual(metadata, { note: "ü" });
    assert.deepStrictEqual(tensors.y.data, data);
    tensors.x.data.forEach((v, i) => assert.ok(Math.abs(v - data[i]) <= Math.abs(data[i]) * 2 ** -8));
    assert.deepStrictEqual(
      await Deno.readFile(path),
      encodeSafetensors({ x: { shape: [5], data, dtype: "BF16" }, y: { shape: [5], data } }, { note: "ü" }),
    );
    // A failed encode leaves no file behind.
    await assert.rejects(writeSafetensors(`${dir}/bad.safetensors`, { x: { shape: [2], data } }), RangeError);
    assert.deepStrictEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["w.safetensors"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readSafetensors() names the file when it is missing or truncated", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      readSafetensors(`${dir}/none.safetensors`),
      /Cannot read safetensors ".*none\.safetensors": cannot open file/,
    );
    const bytes = encodeSafetensors({ w: { shape: [4], data: new Float32Array([1, 2, 3, 4]) } });
    await Deno.writeFile(`${dir}/cut.safetensors`, bytes.subarray(0, bytes.length - 3));
    await assert.rejects(
      readSafetensors(`${dir}/cut.safetensors`),
      /".*cut\.safetensors": tensor "w" data_offsets \[0, 16\] lie outside the 13-byte data area/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** One seeded mutation of a valid file. */
function mutate(valid: Uint8Array, prng: Prng): { bytes: Uint8Array; how: string } {
  const n = dataStart(valid) - 8;
  const kind = prng.int(7);
  const bytes = valid.slice();
  const view = new DataView(bytes.buffer);
  switch (kind) {
    case 0: { // random byte flips in the length field and header
      const flips = 1 + prng.int(4);
      for (let i = 0; i < flips; i++) bytes[prng.int(8 + n)] ^= 1 << prng.int(8);
      return { bytes, how: `flip ${flips}` };
    }
    case 1: { // random byte values anywhere
      for (let i = 0; i < 3; i++) bytes[prng.int(bytes.length)] = prng.int(256);
      return { bytes, how: "bytes" };
    }
    case 2: { // truncation at any point
      const cut = prng.int(bytes.length);
      return { bytes: bytes.subarray(0, cut), how: `truncate ${cut}` };
    }
    case 3: { // length field changed
      const choices = [
        0n,
        1n,
        BigInt(n - 1),
        BigInt(n + 1),
        BigInt(n + 8),
        2n ** 63n,
        2n ** 64n - 1n,
        BigInt(prng.int(1 << 30)),
      ];
      const v = choices[prng.int(choices.length)];
      view.setBigUint64(0, v, true);
      return { bytes, how: `length ${v}` };
    }
    default: { // structured edits of the JSON: offsets, shapes, dtypes
      const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
      const names = Object.keys(header).filter((k) => k !== "__metadata__");
      const t = header[names[prng.int(names.length)]];
      const pick = <T>(xs: T[]): T => xs[prng.int(xs.length)];
      if (kind === 4) t.data_offsets = [pick([0, 4, 8, 12, 1e15, -4, 3.5]), pick([0, 8, 16, 40, 2 ** 53, null])];
      else if (kind === 5) t.shape = pick([[1], [2, 2], [], [0], [-1], [1e9, 1e9, 1e9], ["2"], null, [2 ** 60]]);
      else t.dtype = pick(["F16", "BF16", "U8", "F64", "I64", "", "f32", 3]);
      const json = new TextEncoder().encode(JSON.stringify(header));
      return { bytes: rawFile(JSON.parse(new TextDecoder().decode(json)), bytes.subarray(8 + n)), how: `json ${kind}` };
    }
  }
}

Deno.test("fuzzed files either load consistently or throw an Error naming the file", async () => {
  const prng = new Prng(20250101);
  const valid = encodeSafetensors(
    {
      a: { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
      b: { shape: [4], data: new Float32Array([-1, 0.5, 2, 8]), dtype: "F16" },
      c: { shape: [3], data: new Float32Array([0.25, 1, 3]), dtype: "BF16" },
      d: { shape: [2], data: new Uint8Array([1, 2]) },
    },
    { k: "v" },
  );
  const dir = await Deno.makeTempDir();
  let loaded = 0, rejected = 0;
  try {
    for (let i = 0; i < 400; i++) {
      const { bytes, how } = mutate(valid, prng);
      const name = `fuzz-${i}.safetensors`;
      const fromDisk = i % 8 === 0;
      if (fromDisk) await Deno.writeFile(`${dir}/${name}`, bytes);
      try {
        const { tensors } = fromDisk ? await readSafetensors(`${dir}/${name}`) : decodeSafetensors(bytes, name);
        // A file that loads must be self-consistent: element counts match shapes.
        for (const [k, t] of Object.entries(tensors)) {
          assert.strictEqual(t.data.length, t.shape.reduce((x, y) => x * y, 1), `case ${i} (${how}) tensor ${k}`);
          assert.ok(t.data instanceof Float32Array);
        }
        loaded++;
      } catch (e) {
        assert.ok(e instanceof Error, `case ${i} (${how}) threw a non-Error: ${e}`);
        assert.strictEqual(e.constructor, Error, `case ${i} (${how}) threw ${e.constructor.name}: ${e.message}`);
        assert.ok(e.message.includes(name), `case ${i} (${how}) message does not name the file: ${e.message}`);
        rejected++;
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.strictEqual(loaded + rejected, 400);
  assert.ok(rejected > 300, `most mutations should be rejected, got ${rejected}`);
  assert.ok(loaded > 0, "some mutations (e.g. metadata bytes) still load");
});
