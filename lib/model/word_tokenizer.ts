/**
 * A deterministic word-level tokenizer over a vocabulary built from captions,
 * for the small presets' own text encoder (Wan's umT5 uses a SentencePiece
 * vocabulary of 256,384 pieces, out of reach here).
 *
 * Ids 0..3 are PAD, UNK, BOS, EOS. Words are lower-cased (NFKC), split into
 * runs of letters/digits (with inner apostrophes) and single punctuation marks.
 * The vocabulary lists words by descending count, ties alphabetically, so the
 * same captions always give the same ids. `encode` writes BOS, the word ids,
 * EOS, then PAD up to the requested length (like Wan's tokenizer, which pads
 * to text_len and appends EOS). The empty caption is [BOS, EOS, PAD, …].
 *
 * References: Wan-Video/Wan2.1 `wan/modules/tokenizers.py` (`HuggingfaceTokenizer`:
 * padding to seq_len, special tokens), `wan/modules/t5.py` (`T5EncoderModel.__call__`).
 *
 * @module
 */

const SPECIALS = ["<pad>", "<unk>", "<bos>", "<eos>"] as const;
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

/** The JSON form of a {@link WordTokenizer}. */
export interface WordTokenizerJson {
  kind: "word-tokenizer";
  version: 1;
  /** Every token by id, specials first. */
  vocab: string[];
}

/** Options of {@link WordTokenizer.fromCaptions}. */
export interface FromCaptionsOptions {
  /** Keep at most this many tokens including the 4 specials (default: all). */
  maxVocab?: number;
  /** Drop words seen fewer times (default 1). */
  minCount?: number;
}

/**
 * @example
 * ```ts
 * import { WordTokenizer } from "./word_tokenizer.ts";
 * const tok = WordTokenizer.fromCaptions(["a man dances", "a woman walks"]);
 * console.log(Array.from(tok.encode("a man walks", { length: 6 }))); // [2, 4, 6, 7, 3, 0]
 * ```
 */
export class WordTokenizer {
  static readonly PAD = 0;
  static readonly UNK = 1;
  static readonly BOS = 2;
  static readonly EOS = 3;
  readonly #vocab: string[];
  readonly #ids: Map<string, number>;

  private constructor(vocab: string[]) {
    this.#vocab = vocab;
    this.#ids = new Map(vocab.map((w, i) => [w, i]));
  }

  /**
   * Splits a text into lower-cased words and punctuation marks.
   * @param text any text
   * @returns the words
   */
  static words(text: string): string[] {
    return text.normalize("NFKC").toLowerCase().match(WORD) ?? [];
  }

  /**
   * The length `encode` needs to keep a text whole: BOS, its words, EOS.
   * @param text any text
   * @returns the token count before padding or cutting
   */
  static tokenCount(text: string): number {
    return WordTokenizer.words(text).length + 2;
  }

  /**
   * Builds the vocabulary of a caption corpus.
   * @param captions the captions
   * @param options size limits
   * @returns the tokenizer
   */
  static fromCaptions(captions: Iterable<string>, options: FromCaptionsOptions = {}): WordTokenizer {
    const minCount = options.minCount ?? 1;
    const maxVocab = options.maxVocab ?? Infinity;
    if (maxVocab < SPECIALS.length) {
      throw new RangeError(`Cannot build a vocabulary as maxVocab must be >= ${SPECIALS.length}: received ${maxVocab}`);
    }
    const counts = new Map<string, number>();
    for (const caption of captions) {
      if (typeof caption !== "string") {
        throw new TypeError(`Cannot build a vocabulary from a non-string caption: received ${typeof caption}`);
      }
      for (const w of WordTokenizer.words(caption)) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    const words = [...counts.entries()]
      .filter(([w, c]) => c >= minCount && !(SPECIALS as readonly string[]).includes(w))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, maxVocab - SPECIALS.length)
      .map(([w]) => w);
    return new WordTokenizer([...SPECIALS, ...words]);
  }

  /**
   * Restores a tokenizer saved with `toJSON`.
   * @param json the saved form
   * @returns the tokenizer
   */
  static fromJSON(json: WordTokenizerJson): WordTokenizer {
    if (json?.kind !== "word-tokenizer" || json.version !== 1 || !Array.isArray(json.vocab)) {
      throw new TypeError(
        `Cannot restore a WordTokenizer: expected { kind: "word-tokenizer", version: 1, vocab }, received ${
          JSON.stringify(json)?.slice(0, 80)
        }`,
      );
    }
    SPECIALS.forEach((s, i) => {
      if (json.vocab[i] !== s) {
        throw new TypeError(
          `Cannot restore a WordTokenizer as vocab[${i}] must be "${s}": received ${JSON.stringify(json.vocab[i])}`,
        );
      }
    });
    if (new Set(json.vocab).size !== json.vocab.length) {
      throw new TypeError("Cannot restore a WordTokenizer as its vocab has duplicates");
    }
    return new WordTokenizer([...json.vocab]);
  }

  /** Number of tokens, specials included. */
  get vocabSize(): number {
    return this.#vocab.length;
  }

  /** @returns the JSON-safe form (the vocabulary by id). */
  toJSON(): WordTokenizerJson {
    return { kind: "word-tokenizer", version: 1, vocab: [...this.#vocab] };
  }

  /**
   * @param text a caption ("" for the unconditional branch of CFG)
   * @param options the padded length (>= 2); longer captions are cut, EOS kept
   * @returns ids [length]: BOS, words (UNK when unknown), EOS, PAD…
   */
  encode(text: string, options: { length: number }): Int32Array {
    const { length } = options;
    if (!Number.isInteger(length) || length < 2) {
      throw new RangeError(`Cannot encode text as length must be an integer >= 2: received ${length}`);
    }
    const ids = new Int32Array(length); // PAD = 0
    const words = WordTokenizer.words(text).slice(0, length - 2);
    ids[0] = WordTokenizer.BOS;
    words.forEach((w, i) => ids[i + 1] = this.#ids.get(w) ?? WordTokenizer.UNK);
    ids[words.length + 1] = WordTokenizer.EOS;
    return ids;
  }

  /**
   * @param texts captions
   * @param options the padded length
   * @returns ids, row-major [texts.length, length]
   */
  encodeBatch(texts: readonly string[], options: { length: number }): Int32Array {
    const out = new Int32Array(texts.length * options.length);
    texts.forEach((t, i) => out.set(this.encode(t, options), i * options.length));
    return out;
  }

  /**
   * @param ids token ids
   * @returns the words between BOS and EOS joined by spaces
   */
  decode(ids: ArrayLike<number>): string {
    const words: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === WordTokenizer.EOS) break;
      if (id === WordTokenizer.BOS || id === WordTokenizer.PAD) continue;
      words.push(this.#vocab[id] ?? SPECIALS[WordTokenizer.UNK]);
    }
    return words.join(" ");
  }
}
