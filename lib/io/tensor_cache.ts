/**
 * A content-keyed cache of named float tensors on disk, shared by every run
 * and sweep that asks for the same key (e.g. a corpus's VAE latents under the
 * VAE's weights): one safetensors file per key, written atomically (a reader
 * never sees half a file, and two processes filling the same key at once both
 * leave a whole one), verified on read against the digest stored in its
 * header (a corrupted file is reported, removed and recomputed by the caller),
 * and kept under a size limit by evicting the least recently used entries.
 *
 * References: none (a build cache; content addressing as in git's object store).
 */
import { atomicWrite } from "./atomic_write.ts";
import { decodeSafetensors, encodeSafetensors, type TensorToWrite } from "./safetensors.ts";
import { sha256Hex } from "./sha256_hex.ts";

/** A cached tensor: shape and float32 values. */
export interface CachedTensor {
  shape: number[];
  data: Float32Array;
}

/** Options of {@link TensorCache}. */
export interface TensorCacheOptions {
  /** Total bytes the cache may hold; older entries are evicted past it (default 4 GiB). */
  maxBytes?: number;
  /** Where notes (eviction, a corrupted entry) go (default console.error). */
  note?: (message: string) => void;
}

/**
 * @example
 * ```ts
 * import { TensorCache } from "./tensor_cache.ts";
 * const cache = new TensorCache(await Deno.makeTempDir());
 * const key = await TensorCache.key({ corpus: "finetune", clips: [0, 8], vae: "sha256:…" });
 * await cache.put(key, { latents: { shape: [2], data: new Float32Array([1, 2]) } });
 * console.log((await cache.get(key))?.latents.data); // Float32Array [1, 2]
 * ```
 */
export class TensorCache {
  readonly root: string;
  readonly maxBytes: number;
  #note: (message: string) => void;

  /**
   * @param root the cache folder (created on the first put)
   * @param options size limit and where notes go
   */
  constructor(root: string, options: TensorCacheOptions = {}) {
    const maxBytes = options.maxBytes ?? 4 * 2 ** 30;
    if (!(maxBytes > 0)) throw new RangeError(`Cannot create a tensor cache as maxBytes must be > 0: received ${maxBytes}`);
    this.root = root.replace(/\/+$/, "");
    this.maxBytes = maxBytes;
    this.#note = options.note ?? ((m) => console.error(m));
  }

  /**
   * @param parts everything the cached content depends on (JSON-serialisable; object key order does not matter)
   * @returns the key: SHA-256 hex of the canonical JSON of `parts`
   */
  static async key(parts: unknown): Promise<string> {
    return await sha256Hex(new TextEncoder().encode(canonicalJson(parts)));
  }

  /** The file of a key. */
  path(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new RangeError(`Cannot use cache key "${key}": expected 64 hex digits (TensorCache.key)`);
    return `${this.root}/${key}.safetensors`;
  }

  /**
   * @param key a key from {@link TensorCache.key}
   * @returns the tensors, or null when absent or corrupted (a corrupted file is removed with a note)
   */
  async get(key: string): Promise<Record<string, CachedTensor> | null> {
    return await this.getVerified(key, async (bytes, path) => {
      const { tensors, metadata } = decodeSafetensors(bytes, path);
      const out = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, { shape: t.shape, data: t.data }]));
      const digest = await tensorsDigest(out);
      if (metadata.key !== key) throw new Error(`it holds key ${metadata.key ?? "(none)"}`);
      if (metadata.digest !== digest) throw new Error(`its content digest ${digest} differs from the recorded ${metadata.digest}`);
      return out;
    });
  }

  /**
   * Reads an entry in a format of the caller's (e.g. a clip shard), checked by `decode`: an entry that
   * `decode` rejects (it throws) is reported, removed and read as absent, for the caller to recompute.
   *
   * @param key a key from {@link TensorCache.key}
   * @param decode turns the file's bytes into the value; throws with the reason when they are not a whole,
   *   matching entry of this key
   * @returns the value, or null when absent or corrupted
   */
  async getVerified<T>(key: string, decode: (bytes: Uint8Array, path: string) => T | Promise<T>): Promise<T | null> {
    const path = this.path(key);
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return null;
      throw e;
    }
    let out: T;
    try {
      out = await decode(bytes, path);
    } catch (e) {
      this.#note(`tensor cache: ${path} is corrupted (${(e as Error).message}); removed, recomputing`);
      await Deno.remove(path).catch(() => {});
      return null;
    }
    // Least recently used is judged by modification time: a read refreshes it.
    const now = new Date();
    await Deno.utime(path, now, now).catch(() => {});
    return out;
  }

  /**
   * Stores tensors under a key (atomically: write to a temporary file, then rename), then evicts
   * the least recently used entries while the cache is over its size limit (never the one just written).
   *
   * @param key a key from {@link TensorCache.key}
   * @param tensors the tensors to store
   * @returns resolves when the entry is on disk
   */
  async put(key: string, tensors: Record<string, CachedTensor>): Promise<void> {
    const toWrite: Record<string, TensorToWrite> = {};
    for (const [k, t] of Object.entries(tensors)) toWrite[k] = { shape: t.shape, data: t.data };
    await this.putBytes(key, encodeSafetensors(toWrite, { key, digest: await tensorsDigest(tensors) }));
  }

  /**
   * Stores an entry already encoded by the caller (read back with {@link TensorCache.getVerified}), atomically,
   * then evicts as {@link TensorCache.put} does.
   *
   * @param key a key from {@link TensorCache.key}
   * @param bytes the file's content (it should record the key and a digest that the caller's decode checks)
   * @returns resolves when the entry is on disk
   */
  async putBytes(key: string, bytes: Uint8Array): Promise<void> {
    const path = this.path(key);
    await Deno.mkdir(this.root, { recursive: true });
    await atomicWrite(path, bytes);
    await this.#evict(path);
  }

  async #evict(keep: string): Promise<void> {
    const entries: { path: string; size: number; mtime: number }[] = [];
    for await (const e of Deno.readDir(this.root)) {
      if (!e.isFile || !e.name.endsWith(".safetensors")) continue;
      const path = `${this.root}/${e.name}`;
      const st = await Deno.stat(path).catch(() => null);
      if (st) entries.push({ path, size: st.size, mtime: st.mtime?.getTime() ?? 0 });
    }
    let total = entries.reduce((a, e) => a + e.size, 0);
    entries.sort((a, b) => a.mtime - b.mtime);
    for (const e of entries) {
      if (total <= this.maxBytes) break;
      if (e.path === keep) continue;
      await Deno.remove(e.path).catch(() => {});
      total -= e.size;
      this.#note(`tensor cache: evicted ${e.path} (${e.size} bytes, least recently used) to stay under ${this.maxBytes} bytes`);
    }
  }
}

/** SHA-256 over each tensor's name, shape and float32 bytes, in name order. */
async function tensorsDigest(tensors: Record<string, CachedTensor>): Promise<string> {
  const names = Object.keys(tensors).sort();
  const header = new TextEncoder().encode(JSON.stringify(names.map((n) => [n, tensors[n].shape])));
  const total = header.length + names.reduce((a, n) => a + tensors[n].data.byteLength, 0);
  const all = new Uint8Array(total);
  all.set(header);
  let o = header.length;
  for (const n of names) {
    const d = tensors[n].data;
    all.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), o);
    o += d.byteLength;
  }
  return await sha256Hex(all);
}

/** JSON with object keys sorted at every level. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}
