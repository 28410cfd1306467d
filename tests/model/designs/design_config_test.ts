import assert from "node:assert/strict";
import {
  checkDesignConfig,
  checkLoraConfig,
  DESIGN_PRESETS,
  type DesignConfig,
  getDesignPreset,
  MODEL_PRESETS,
} from "../../../lib/model/mod.ts";

Deno.test("DESIGN_PRESETS holds the four rows of the ablation, LoRA and the frame-shift probe, each a valid design for wan-toy", () => {
  assert.deepEqual(Object.keys(DESIGN_PRESETS), [
    "reference-net",
    "light-reference-net",
    "full-finetune",
    "part-finetune",
    "lora",
    "part-finetune-frame-shift",
  ]);
  for (const preset of Object.values(DESIGN_PRESETS)) {
    checkDesignConfig(preset.design, { cfg: MODEL_PRESETS["wan-toy"] });
  }
  assert.equal(DESIGN_PRESETS["full-finetune"].scope, "full");
  assert.equal(DESIGN_PRESETS["part-finetune"].scope, "part");
  assert.deepEqual(DESIGN_PRESETS["part-finetune"].design, DESIGN_PRESETS["full-finetune"].design);
  assert.deepEqual(DESIGN_PRESETS.lora.design, DESIGN_PRESETS["part-finetune"].design);
  // The probe of the reference's RoPE placement differs from part fine-tune in the placement alone.
  assert.deepEqual(DESIGN_PRESETS["part-finetune-frame-shift"], {
    design: { ...DESIGN_PRESETS["part-finetune"].design, shiftedRope: false, frameShift: true },
    scope: "part",
  });
  checkLoraConfig(DESIGN_PRESETS.lora.scope.lora, MODEL_PRESETS["wan-toy"]);
  assert.equal(getDesignPreset("reference-net"), DESIGN_PRESETS["reference-net"]);
  assert.throws(() => getDesignPreset("concat"), /Unknown design preset "concat": expected one of reference-net/);
});

Deno.test("checkDesignConfig() names the field and the received value", () => {
  const cfg = MODEL_PRESETS["wan-smoke"]; // 2 blocks, dim 32, head dim 16
  const bad: Array<[unknown, RegExp]> = [
    [{ kind: "unet", poses: [] }, /kind must be one of concat, reference-net, light-reference-net: received "unet"/],
    [{ kind: "concat", shiftedRope: 1, frameShift: false, poses: [] }, /shiftedRope must be a boolean: received 1/],
    [{ kind: "concat", shiftedRope: true, frameShift: false, poses: ["face"] }, /received "face"/],
    [{ kind: "concat", shiftedRope: true, frameShift: false, poses: ["hands", "hands"] }, /lists "hands" twice/],
    [{ kind: "reference-net", poses: [], blocks: 2 }, /has no field "blocks"/],
    [{ kind: "light-reference-net", poses: [], blocks: 0, inject: [] }, /blocks must be an integer >= 1: received 0/],
    [
      { kind: "light-reference-net", poses: [], blocks: 2, inject: [1] },
      /one denoising block per reference block \(2\)/,
    ],
    [{ kind: "light-reference-net", poses: [], blocks: 2, inject: [1, 1] }, /strictly increasing/],
    [
      { kind: "light-reference-net", poses: [], blocks: 1, inject: [2] },
      /inject\[0\] must be < num_layers = 2: received 2/,
    ],
    [
      { kind: "light-reference-net", poses: [], blocks: 1, inject: [0], dim: 24 },
      /multiple of the head dim 16 and <= 32: received 24/,
    ],
  ];
  for (const [design, re] of bad) {
    assert.throws(() => checkDesignConfig(design as DesignConfig, { cfg }), re, JSON.stringify(design));
  }
  const ok: DesignConfig = { kind: "light-reference-net", poses: ["body"], blocks: 1, inject: [1], dim: 16 };
  assert.equal(checkDesignConfig(ok, { cfg }), ok);
});
