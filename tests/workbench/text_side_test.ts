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
    const side = await textSide({ dit, preset: "wan-smoke", checkpoint: `${dir}/ok`, captions: [], seed: 0 });
    const tokens = side.tokens(["a man waves", ""]);
    const context = side.encode(tokens);
    assert.deepEqual(context.shape, [2, dit.text_len, dit.text_dim]);
    tf.dispose([tokens, context, ...Object.values(side.params)]);

    // encodeText never reads the ids back (webgpu cannot), so the sizes are checked when the text side is built.
    const bigger = WordTokenizer.fromCaptions(["a person waves", "a man dances", "someone jumps high"]);
    await saveTextEncoder(`${dir}/bad`, { cfg, tokenizer: bigger, params });
    await assert.rejects(
      () => textSide({ dit, preset: "wan-smoke", checkpoint: `${dir}/bad`, captions: [], seed: 0 }),
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

Deno.test("textSide().truncated() counts the captions longer than text_len − 2 words (BOS and EOS take two)", async () => {
  const small = { ...dit, text_len: 6 };
  const side = await textSide({ dit: small, preset: "wan-smoke", checkpoint: null, captions: [], seed: 0 });
  // 4 words fit (BOS + 4 + EOS = 6); "a man, waves" is 4 tokens with the comma; 5 words do not fit.
  assert.equal(side.truncated(["a man waves now", "a man, waves", "a man waves at me", ""]), 1);
  assert.equal(side.truncated(["one two three four five six"]), 1);
  assert.equal(side.truncated([]), 0);
  tf.dispose(Object.values(side.params));
});

Deno.test("the wan-toy preset cuts 1 of the first 1024 pretraining captions, 2 of 1024 fine-tuning ones and none of the evaluation set's", async () => {
  const { syntheticClip } = await import("../../datasets/synthetic/synthetic_sets.ts");
  const toy = MODEL_PRESETS["wan-toy"];
  const side = await textSide({ dit: toy, preset: "wan-toy", checkpoint: null, captions: [], seed: 0 });
  const cut = (set: "pretrain" | "finetune" | "realisdance-val-syn", n: number) =>
    side.truncated(Array.from({ length: n }, (_, i) => syntheticClip(set, i, { frames: 1, height: 8, width: 8 }).caption));
  // With text_len 16 it was every one of them.
  assert.equal(cut("pretrain", 1024), 1);
  assert.equal(cut("finetune", 1024), 2);
  assert.equal(cut("realisdance-val-syn", 64), 0);
  tf.dispose(Object.values(side.params));
});
