import assert from "node:assert/strict";
import {
  configFromJson,
  countParams,
  MODEL_PRESETS,
  TEXT_ENCODER_PRESETS,
  wanParamShapes,
} from "../../lib/model/mod.ts";
import { checkWanConfig } from "../../lib/model/wan_config.ts";
import { main as modelInfo } from "../../lib/model/cli/model_info.ts";
import { CASES, FIXTURES } from "./_fixtures.ts";

Deno.test("countParams() of wan2.1-t2v-1.3b is exactly 1,418,996,800", () => {
  assert.equal(countParams(MODEL_PRESETS["wan2.1-t2v-1.3b"]), 1_418_996_800);
});

Deno.test("wanParamShapes() equals the official 1.3B state dict, names, shapes and order", async () => {
  const official = JSON.parse(await Deno.readTextFile(`${FIXTURES}wan2.1-t2v-1.3b_state_dict_shapes.json`));
  assert.equal(official.total, 1_418_996_800);
  assert.deepEqual(wanParamShapes(MODEL_PRESETS["wan2.1-t2v-1.3b"]), official.shapes);
});

for (const name of CASES) {
  Deno.test(`wanParamShapes() equals the official state dict of the "${name}" fixture`, async () => {
    const official = JSON.parse(await Deno.readTextFile(`${FIXTURES}${name}/state_dict_shapes.json`));
    const shapes = Object.fromEntries(official as Array<[string, number[]]>);
    const json = JSON.parse(await Deno.readTextFile(`${FIXTURES}${name}/config.json`));
    const { cfg } = configFromJson(json, { shapes });
    assert.deepEqual(wanParamShapes(cfg), official);
  });
}

Deno.test("every preset is a valid configuration and text-encoder presets match their DiT's text_dim", () => {
  for (const [name, cfg] of Object.entries(MODEL_PRESETS)) assert.equal(checkWanConfig(cfg), cfg, name);
  for (const [name, enc] of Object.entries(TEXT_ENCODER_PRESETS)) {
    assert.equal(enc.dim, MODEL_PRESETS[name as keyof typeof MODEL_PRESETS].text_dim, name);
  }
});

Deno.test("checkWanConfig() rejects impossible sizes with the received value", () => {
  const base = MODEL_PRESETS["wan-smoke"];
  assert.throws(
    () => checkWanConfig({ ...base, num_heads: 3 }),
    /dim \/ num_heads must be an even integer: received dim 32, num_heads 3/,
  );
  assert.throws(() => checkWanConfig({ ...base, freq_dim: 15 }), /freq_dim must be even: received 15/);
  assert.throws(() => checkWanConfig({ ...base, num_layers: 0 }), /num_layers must be a positive integer: received 0/);
});

Deno.test("model_info CLI prints the exact 1.3B count as JSON", () => {
  const orig = console.log;
  console.log = () => {};
  try {
    const info = JSON.parse(modelInfo(["--preset", "wan2.1-t2v-1.3b", "--json"]));
    assert.equal(info.params, 1418996800);
    assert.equal(info.tensors, 825);
    assert.equal(info.config.dim, 1536);
    assert.throws(() => modelInfo(["--preset", "nope"]), /Unknown model preset "nope"/);
  } finally {
    console.log = orig;
  }
});
