import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import { initTextEncoderParams, MODEL_PRESETS, TEXT_ENCODER_PRESETS, WordTokenizer } from "../../lib/model/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { saveTextEncoder } from "../../lib/workbench/_text_encoder_io.ts";
import { textSide } from "../../lib/workbench/_text_side.ts";

await initEngine({ backend: "cpu" });

const dit = MODEL_PRESETS["wan-smoke"];
const cfg = TEXT_ENCODER_PRESETS["wan-smoke"];

Deno.test("textSide() loads a saved text side and rejects a tokenizer that does not match the embedding table", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/ok`);
  await Deno.mkdir(`${dir}/bad`);
  try {
    const tokenizer = WordTokenizer.fromCaptions(["a person waves", "a man dances"]);
    const params = initTextEncoderParams(cfg, { prng: new Prng(3), vocabSize: tokenizer.vocabSize });
    await saveTextEncoder(`${dir}/ok`, { cfg, tokenizer, params });
    const side = await textSide({ dit, preset: "wan-smoke", checkpoint: `${dir}/ok`, clips: [], seed: 0 });
    const tokens = side.tokens(["a man waves", ""]);
    const context = side.encode(tokens);
    assert.deepEqual(context.shape, [2, dit.text_len, dit.text_dim]);
    tf.dispose([tokens, context, ...Object.values(side.params)]);

    // encodeText never reads the ids back (webgpu cannot), so the sizes are checked when the text side is built.
    const bigger = WordTokenizer.fromCaptions(["a person waves", "a man dances", "someone jumps high"]);
    await saveTextEncoder(`${dir}/bad`, { cfg, tokenizer: bigger, params });
    await assert.rejects(
      () => textSide({ dit, preset: "wan-smoke", checkpoint: `${dir}/bad`, clips: [], seed: 0 }),
      {
        name: "RangeError",
        message: `The tokenizer's vocabulary of ${bigger.vocabSize} does not match the text encoder's ` +
          `token_embedding.weight of ${tokenizer.vocabSize} rows: token ids would fall outside the table`,
      },
    );
    tf.dispose(Object.values(params));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
