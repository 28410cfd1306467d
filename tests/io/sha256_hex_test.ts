import assert from "node:assert/strict";
import { sha256Hex } from "../../lib/io/mod.ts";

Deno.test("sha256Hex() gives FIPS 180-2's digests of 'abc' and the empty string as lowercase hex", async () => {
  assert.equal(await sha256Hex(new TextEncoder().encode("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(await sha256Hex(new Uint8Array(0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
});
