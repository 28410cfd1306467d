import assert from "node:assert/strict";
import { decodePng, encodePng, type PngImage } from "../../lib/io/png.ts";
import { Prng } from "../../lib/random/mod.ts";

const FIXTURES = new URL("../fixtures/eval/", import.meta.url);
const fixtures = JSON.parse(await Deno.readTextFile(new URL("fixtures.json", FIXTURES))).png as {
  file: string;
  width: number;
  height: number;
  channels: number;
  pixels: number[];
}[];

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** Rewrites IHDR byte `offset` (0 = width MSB … 12 = interlace) and fixes the chunk CRC. */
function patchIhdr(png: Uint8Array, offset: number, value: number): Uint8Array {
  const out = png.slice();
  out[16 + offset] = value;
  new DataView(out.buffer).setUint32(29, crc32(out.subarray(12, 29)));
  return out;
}

Deno.test("decodePng() reads Pillow's L, LA, RGB, RGBA and palette PNGs pixel-exactly", async () => {
  assert.equal(fixtures.length, 5);
  for (const f of fixtures) {
    const img = await decodePng(await Deno.readFile(new URL(`png/${f.file}`, FIXTURES)), f.file);
    assert.equal(img.width, f.width, f.file);
    assert.equal(img.height, f.height, f.file);
    assert.equal(img.channels, f.channels, f.file);
    assert.deepEqual(Array.from(img.data), f.pixels, f.file);
  }
});

Deno.test("encodePng() then decodePng() round-trips 1–4 channel images with either filter choice", async () => {
  const prng = new Prng(4);
  for (const channels of [1, 2, 3, 4] as const) {
    const width = 9, height = 6;
    const data = new Uint8Array(width * height * channels);
    // half noise, half smooth ramps so that every filter type wins somewhere
    for (let i = 0; i < data.length; i++) data[i] = i % 2 ? prng.int(256) : (3 * i) & 0xff;
    for (const filter of ["adaptive", "none"] as const) {
      const img: PngImage = { width, height, channels, data };
      const back = await decodePng(await encodePng(img, { filter }));
      assert.deepEqual(back, img, `${channels} channels, ${filter}`);
    }
  }
});

Deno.test("encodePng() compresses a smooth image well below its raw size", async () => {
  const width = 64, height = 64;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x * 4, y * 4, (x + y) * 2], (y * width + x) * 3);
  const png = await encodePng({ width, height, channels: 3, data });
  assert.ok(png.length < data.length / 10, `PNG of ${png.length} bytes for ${data.length} raw bytes`);
});

Deno.test("decodePng() rejects a bad signature, a corrupted chunk, 16-bit and interlaced files", async () => {
  const png = await encodePng({ width: 2, height: 2, channels: 1, data: new Uint8Array([1, 2, 3, 4]) });
  await assert.rejects(() => decodePng(new Uint8Array([1, 2, 3]), "x.png"), { name: "TypeError", message: /x\.png.*signature/ });
  const corrupt = png.slice();
  corrupt[44] ^= 0xff; // inside the IDAT body (chunk at byte 33)
  await assert.rejects(() => decodePng(corrupt), { name: "RangeError", message: /CRC mismatch in chunk IDAT/ });
  await assert.rejects(() => decodePng(patchIhdr(png, 8, 16)), { name: "TypeError", message: /bit depth 16/ });
  await assert.rejects(() => decodePng(patchIhdr(png, 12, 1)), { name: "TypeError", message: /interlaced/ });
  await assert.rejects(() => decodePng(png.subarray(0, png.length - 12)), { name: "RangeError", message: /no IEND/ });
});

Deno.test("encodePng() rejects data of the wrong length with the expected size", async () => {
  await assert.rejects(
    () => encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(5) }),
    { name: "RangeError", message: /2·2·3 = 12 bytes, received 5/ },
  );
});
