import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { initEngine } from "../../lib/engine/mod.ts";
import {
  encodeText,
  initTextEncoderParams,
  loadWanCheckpoint,
  TEXT_ENCODER_PRESETS,
  textEncoderParamSpecs,
  wanForward,
  WordTokenizer,
} from "../../lib/model/mod.ts";
import { relativePositionBuckets } from "../../lib/model/_relative_position_bucket.ts";
import { Prng } from "../../lib/random/mod.ts";
import { readSafetensors } from "../../lib/io/safetensors.ts";
import { CONFORMANCE_TOL, FIXTURES, relErr } from "./_fixtures.ts";

await initEngine({ backend: "cpu" });

const CAPTIONS = ["A man dances in a red coat.", "A woman walks; a dog follows.", "The man waves at the camera."];
const cfg = TEXT_ENCODER_PRESETS["wan-smoke"];

Deno.test("WordTokenizer builds a deterministic vocabulary: count descending, ties alphabetical", () => {
  const tok = WordTokenizer.fromCaptions(["a man dances", "a woman walks"]);
  assert.deepEqual(tok.toJSON().vocab, ["<pad>", "<unk>", "<bos>", "<eos>", "a", "dances", "man", "walks", "woman"]);
  assert.deepEqual(Array.from(tok.encode("a man walks", { length: 6 })), [2, 4, 6, 7, 3, 0]);
  assert.deepEqual(WordTokenizer.words("Hello, World! It's 3D."), ["hello", ",", "world", "!", "it's", "3d", "."]);
  assert.deepEqual(
    WordTokenizer.fromCaptions([...CAPTIONS].reverse()).toJSON(),
    WordTokenizer.fromCaptions(CAPTIONS).toJSON(),
  );
  assert.equal(WordTokenizer.fromCaptions(CAPTIONS, { maxVocab: 6 }).vocabSize, 6);
  assert.deepEqual(WordTokenizer.fromCaptions(CAPTIONS, { minCount: 2 }).toJSON().vocab.slice(4), [
    "a",
    ".",
    "man",
    "the",
  ]);
});

Deno.test("WordTokenizer.encode() maps unknown words to UNK, pads with PAD, cuts long text keeping EOS", () => {
  const tok = WordTokenizer.fromCaptions(["a man dances"]);
  assert.deepEqual(Array.from(tok.encode("a robot dances", { length: 7 })), [2, 4, 1, 5, 3, 0, 0]);
  assert.deepEqual(Array.from(tok.encode("a man dances a man dances", { length: 5 })), [2, 4, 6, 5, 3]);
  assert.deepEqual(Array.from(tok.encode("", { length: 4 })), [2, 3, 0, 0]);
  assert.equal(tok.decode(tok.encode("a man dances", { length: 8 })), "a man dances");
  assert.throws(() => tok.encode("a", { length: 1 }), /length must be an integer >= 2: received 1/);
});

Deno.test("WordTokenizer.tokenCount() is the length at which encode() keeps a text whole (BOS, words, EOS)", () => {
  const tok = WordTokenizer.fromCaptions(["a man dances"]);
  assert.equal(WordTokenizer.tokenCount("a man, dances"), 6); // BOS a man , dances EOS
  assert.equal(WordTokenizer.tokenCount(""), 2);
  const text = "a man dances a man dances";
  const n = WordTokenizer.tokenCount(text); // 8
  assert.equal(n, 8);
  assert.equal(tok.decode(tok.encode(text, { length: n })), text);
  assert.notEqual(tok.decode(tok.encode(text, { length: n - 1 })), text);
});

Deno.test("WordTokenizer round-trips through JSON and rejects malformed JSON", () => {
  const tok = WordTokenizer.fromCaptions(CAPTIONS);
  const back = WordTokenizer.fromJSON(JSON.parse(JSON.stringify(tok)));
  assert.deepEqual(back.encodeBatch(CAPTIONS, { length: 12 }), tok.encodeBatch(CAPTIONS, { length: 12 }));
  assert.throws(
    () => WordTokenizer.fromJSON({ kind: "word-tokenizer", version: 1, vocab: ["<unk>", "<pad>", "<bos>", "<eos>"] }),
    /vocab\[0\] must be "<pad>"/,
  );
});

Deno.test("relativePositionBuckets() gives T5's bidirectional buckets (32 buckets, max_dist 128)", () => {
  const b = relativePositionBuckets(201, 32, 128);
  const at = (i: number, j: number) => b[i * 201 + j];
  assert.equal(at(0, 0), 0);
  assert.equal(at(1, 0), 1); // key before query: lower half
  assert.equal(at(0, 1), 17); // key after query: upper half
  assert.equal(at(0, 7), 23); // exact up to 7
  assert.equal(at(0, 8), 24); // 16 + 8 + ⌊log(8/8)/log(16)·8⌋
  assert.equal(at(0, 127), 31); // 16 + 8 + ⌊log(127/8)/log(16)·8⌋ = 16 + 15
  assert.equal(at(200, 0), 15); // clamped to the last bucket
});

function setup() {
  const tok = WordTokenizer.fromCaptions(CAPTIONS);
  const params = initTextEncoderParams(cfg, { prng: new Prng(7), vocabSize: tok.vocabSize });
  return { tok, params };
}

Deno.test("encodeText() is deterministic and matches the stored seeded value", () => {
  const { tok, params } = setup();
  const again = initTextEncoderParams(cfg, { prng: new Prng(7), vocabSize: tok.vocabSize });
  const ids = tf.tensor2d(tok.encodeBatch(CAPTIONS, { length: 12 }), [3, 12], "int32");
  const a = encodeText(params, ids, { cfg });
  const b = encodeText(again, ids, { cfg });
  assert.deepEqual(a.dataSync(), b.dataSync());
  assert.deepEqual(a.shape, [3, 12, 16]);
  // RMSNorm output with unit weights: each real row has mean square 1 (to eps).
  const v = a.dataSync();
  let sumSq = 0;
  for (const x of v) sumSq += x * x;
  const realRows = tok.encodeBatch(CAPTIONS, { length: 12 }).filter((id) => id !== 0).length;
  assert.ok(Math.abs(sumSq - realRows * 16) < 1e-2, `${sumSq}`);
  let sum = 0;
  for (const x of v) sum += x;
  assert.ok(Math.abs(sum - -14.203212) < 1e-3, `sum ${sum}`); // stored from the first run (seed 7)
  tf.dispose([ids, a, b, ...Object.values(params), ...Object.values(again)]);
});

Deno.test("encodeText() zeroes PAD rows and does not depend on the padded length", () => {
  const { tok, params } = setup();
  const short = tf.tensor2d(tok.encodeBatch(CAPTIONS, { length: 12 }), [3, 12], "int32");
  const long = tf.tensor2d(tok.encodeBatch(CAPTIONS, { length: 16 }), [3, 16], "int32");
  const a = encodeText(params, short, { cfg }), b = encodeText(params, long, { cfg });
  const head = tf.slice(b, [0, 0, 0], [3, 12, 16]);
  const diff = tf.max(tf.abs(tf.sub(a, head))).dataSync()[0];
  assert.ok(diff < 1e-5, `${diff}`);
  const tail = tf.slice(b, [0, 12, 0], [3, 4, 16]);
  assert.ok(tail.dataSync().every((x) => x === 0));
  tf.dispose([short, long, a, b, head, tail, ...Object.values(params)]);
});

Deno.test("encodeText() gives a defined output for empty text and for an all-PAD row", () => {
  const { tok, params } = setup();
  const empty = tok.encode("", { length: 8 });
  const ids = tf.tensor2d([...empty, ...new Int32Array(8)], [2, 8], "int32");
  const out = encodeText(params, ids, { cfg });
  const v = out.dataSync();
  assert.ok(v.every(Number.isFinite));
  const rowNorm = (b: number, l: number) => Math.hypot(...v.slice((b * 8 + l) * 16, (b * 8 + l + 1) * 16));
  assert.ok(rowNorm(0, 0) > 1 && rowNorm(0, 1) > 1); // BOS, EOS
  for (let l = 2; l < 8; l++) assert.equal(rowNorm(0, l), 0);
  for (let l = 0; l < 8; l++) assert.equal(rowNorm(1, l), 0);
  assert.throws(
    () => encodeText(params, tf.tensor2d([[0, 1]]), { cfg }),
    /tokens must be int32 \[B, L\]: received float32/,
  );
  tf.dispose([ids, out, ...Object.values(params)]);
});

Deno.test("the text encoder trains with the DiT: finite gradients reach every encoder parameter", async () => {
  const { tok, params } = setup();
  const dit = await loadWanCheckpoint(`${FIXTURES}smoke`, { trainable: false });
  const prng = new Prng(9);
  const x = tf.tensor(prng.normals(4 * 1 * 4 * 4), [2, 4, 1, 2, 4]);
  const ids = tf.tensor2d(tok.encodeBatch(["a man dances", ""], { length: 8 }), [2, 8], "int32");
  const { value, grads } = tf.variableGrads(() => {
    const context = encodeText(params, ids, { cfg });
    return tf.mean(tf.square(wanForward(dit, { x, t: [100, 900], context }))) as tf.Scalar;
  }, Object.values(params));
  assert.equal(Object.keys(grads).length, Object.keys(params).length);
  for (const [name, v] of Object.entries(params)) {
    const g = grads[v.name].dataSync();
    assert.ok(g.every(Number.isFinite), name);
    assert.ok(g.some((z) => z !== 0), `${name}: zero gradient`);
  }
  // Only the rows of tokens that occur get an embedding gradient.
  const used = new Set(tok.encodeBatch(["a man dances", ""], { length: 8 }).filter((id) => id !== 0));
  const ge = grads[params["token_embedding.weight"].name].dataSync();
  for (let id = 0; id < tok.vocabSize; id++) {
    const nonzero = ge.slice(id * 16, (id + 1) * 16).some((z) => z !== 0);
    assert.equal(nonzero, used.has(id), `token ${id}`);
  }
  tf.dispose([value, x, ids, ...Object.values(grads), ...Object.values(params), ...Object.values(dit.params)]);
});

Deno.test(`encodeText() matches the official umT5-architecture T5Encoder (names, shapes, output to ${CONFORMANCE_TOL.toExponential()})`, async () => {
  const dir = `${FIXTURES}t5`;
  const json = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
  const enc = { ...json, shared_pos: undefined, vocab: undefined };
  const official = JSON.parse(await Deno.readTextFile(`${dir}/state_dict_shapes.json`));
  const specs = textEncoderParamSpecs(enc, { vocabSize: json.vocab }).map(([n, s]) => [n, s]);
  assert.deepEqual(specs, official);
  const weights = (await readSafetensors(`${dir}/encoder.safetensors`)).tensors;
  const params = Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, tf.tensor(v.data, v.shape)]));
  const { ids } = (await readSafetensors(`${dir}/inputs.safetensors`)).tensors;
  const tokens = tf.tensor2d(Int32Array.from(ids.data), [ids.shape[0], ids.shape[1]], "int32");
  const out = encodeText(params, tokens, { cfg: enc });
  const expected = (await readSafetensors(`${dir}/expected.safetensors`)).tensors.context;
  assert.deepEqual(out.shape, expected.shape);
  const err = relErr(out.dataSync(), expected.data);
  assert.ok(err < CONFORMANCE_TOL, `relative error ${err}`);
  // Negative control: the same encoder with its norms' epsilon ×100 fails the tolerance.
  const perturbed = encodeText(params, tokens, { cfg: { ...enc, eps: enc.eps * 100 } });
  const off = relErr(perturbed.dataSync(), expected.data);
  assert.ok(off > 10 * CONFORMANCE_TOL, `perturbed: relative error ${off}`);
  tf.dispose([tokens, out, perturbed, ...Object.values(params)]);
});
