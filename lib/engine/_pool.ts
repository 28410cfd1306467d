/**
 * Recycling of the blas kernels' output arrays.
 *
 * A fresh multi-megabyte Float32Array costs about as much as the loop that
 * fills it (zeroing and first-touch page faults), and a training step
 * allocates the same sizes again every step. Outputs of the fast kernels come
 * from here; when the backend frees their data they come back, unless another
 * tensor may still see the memory:
 *   - only arrays this pool handed out are ever recycled (never user arrays);
 *   - an array stored under a second data id, or whose buffer is stored
 *     through another view (e.g. the cpu Slice kernel's subarray), is
 *     "shared" and left to the garbage collector;
 *   - the backend returns copies of pooled arrays from readSync/dataSync, so
 *     user code never holds one.
 * Recycled arrays are not zeroed: kernels that accumulate ask for zeros.
 */

const MIN_LENGTH = 1 << 12; // smaller arrays are cheap to allocate
const MAX_POOLED_BYTES = 512 * 1024 * 1024;

/** Arrays handed out by the pool → number of data entries storing them. */
const live = new WeakMap<Float32Array, number>();
/** Buffer → the pooled array that owns it. */
const owners = new WeakMap<ArrayBufferLike, Float32Array>();
/** Arrays never to recycle (stored twice or viewed). */
const shared = new WeakSet<Float32Array>();
const free = new Map<number, Float32Array[]>();
let pooledBytes = 0;
let hits = 0, misses = 0;

/**
 * A Float32Array of length n with arbitrary contents (recycled when possible).
 * @param n length
 * @returns the array
 */
export function newF32(n: number): Float32Array {
  if (n >= MIN_LENGTH) {
    const list = free.get(n);
    const a = list?.pop();
    if (a) {
      pooledBytes -= a.byteLength;
      hits++;
      live.set(a, 0);
      return a;
    }
    misses++;
  }
  const a = new Float32Array(n);
  if (n >= MIN_LENGTH) {
    live.set(a, 0);
    owners.set(a.buffer, a);
  }
  return a;
}

/**
 * A zero-filled Float32Array of length n.
 * @param n length
 * @returns the array
 */
export function zerosF32(n: number): Float32Array {
  const a = newF32(n);
  return live.has(a) ? a.fill(0) : a;
}

/** Notes that the backend stores `values` under a data id (write/move). */
export function noteStored(values: unknown) {
  if (!(values instanceof Float32Array)) return;
  const count = live.get(values);
  if (count !== undefined) {
    if (count > 0) shared.add(values);
    live.set(values, count + 1);
    return;
  }
  const owner = owners.get(values.buffer);
  if (owner && owner !== values) shared.add(owner); // a view onto a pooled array
}

/** Takes `values` back when the backend has released its data id. */
export function noteReleased(values: unknown) {
  if (!(values instanceof Float32Array)) return;
  const count = live.get(values);
  if (count === undefined) return;
  if (count > 1) {
    live.set(values, count - 1);
    return;
  }
  live.delete(values);
  if (shared.has(values) || pooledBytes + values.byteLength > MAX_POOLED_BYTES) return;
  live.set(values, 0); // still ours, now free
  let list = free.get(values.length);
  if (!list) free.set(values.length, list = []);
  list.push(values);
  pooledBytes += values.byteLength;
}

/** Whether `values` came from this pool (readSync copies those). */
export function isPooled(values: unknown): boolean {
  return values instanceof Float32Array && live.has(values);
}

/** Pool counters (for tests and the benchmark). */
export function poolStats(): { hits: number; misses: number; pooledBytes: number } {
  return { hits, misses, pooledBytes };
}

/** Drops every free array (e.g. between benchmarks). */
export function clearPool() {
  for (const list of free.values()) for (const a of list) live.delete(a);
  free.clear();
  pooledBytes = 0;
}
