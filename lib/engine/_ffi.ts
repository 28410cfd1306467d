/**
 * OpenBLAS through Deno FFI: finding the shared library, loading it once,
 * and a typed `sgemm` that takes array offsets instead of copies.
 *
 * References: OpenBLAS `cblas.h` (cblas_sgemm, openblas_set_num_threads,
 * openblas_get_config, openblas_get_corename); Deno `Deno.dlopen`.
 */

/** Where distributions put OpenBLAS, most specific first. */
export const OPENBLAS_CANDIDATES: readonly string[] = [
  "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
  "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
  "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
  "/usr/lib64/libopenblas.so.0",
  "/usr/lib/libopenblas.so.0",
  "/usr/local/lib/libopenblas.so.0",
  "/usr/local/lib/libopenblas.so",
  "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
  "/usr/local/opt/openblas/lib/libopenblas.dylib",
];

/** The Debian command that provides {@link OPENBLAS_CANDIDATES}[0]. */
export const OPENBLAS_INSTALL_COMMAND = "apt-get install -y libopenblas0-pthread";

// CBLAS enum values (cblas.h).
const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

const SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "f32",
      "pointer",
      "i32",
      "pointer",
      "i32",
      "f32",
      "pointer",
      "i32",
    ],
    result: "void",
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void" },
  openblas_get_num_threads: { parameters: [], result: "i32" },
  openblas_get_config: { parameters: [], result: "pointer" },
  openblas_get_corename: { parameters: [], result: "pointer" },
} as const;

/** A loaded OpenBLAS. */
export interface OpenBlas {
  /** Absolute path of the shared library. */
  path: string;
  /** `openblas_get_config()`, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH … SkylakeX MAX_THREADS=64". */
  config: string;
  /** Version parsed from the config, e.g. "0.3.21". */
  version: string;
  /** Kernel family in use, e.g. "SkylakeX". */
  coreType: string;
  /**
   * Row-major C = alpha·op(A)·op(B) + beta·C on float32 arrays, each operand
   * starting at an element offset into its array (no copies).
   */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    aOffset: number,
    lda: number,
    b: Float32Array,
    bOffset: number,
    ldb: number,
    beta: number,
    c: Float32Array,
    cOffset: number,
    ldc: number,
  ): void;
  setThreads(n: number): void;
  getThreads(): number;
}

let loaded: OpenBlas | null = null;

/**
 * The first existing OpenBLAS library among `candidates`, or null. When the
 * `WORKBENCH_OPENBLAS` environment variable is set, only that path is tried.
 * @param candidates paths to try
 * @returns the path found
 */
export function findOpenBlas(candidates: readonly string[] = OPENBLAS_CANDIDATES): string | null {
  const fromEnv = safeEnv("WORKBENCH_OPENBLAS");
  for (const path of fromEnv ? [fromEnv] : candidates) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not there
    }
  }
  return null;
}

/**
 * Loads OpenBLAS once per process (later calls return the same handle).
 *
 * OpenBLAS 0.3.21's runtime CPU detection does not know recent Xeons
 * (e.g. Sapphire Rapids) and falls back to its SSE3 "Prescott" kernels, 5×
 * slower. Unless `OPENBLAS_CORETYPE` is already set, this sets it from
 * /proc/cpuinfo before loading: AVX-512 → SkylakeX, AVX2+FMA → Haswell.
 *
 * @param path library path (default: {@link findOpenBlas})
 * @returns the loaded library
 */
export function loadOpenBlas(path?: string): OpenBlas {
  if (loaded) return loaded;
  const found = path ?? findOpenBlas();
  if (!found) {
    throw new Error(
      `Cannot load OpenBLAS as no library was found in ${OPENBLAS_CANDIDATES.join(", ")}: ` +
        `install it with \`${OPENBLAS_INSTALL_COMMAND}\``,
    );
  }
  if (!safeEnv("OPENBLAS_CORETYPE")) {
    const core = coreTypeFromCpuInfo();
    try {
      if (core) Deno.env.set("OPENBLAS_CORETYPE", core);
    } catch {
      // no --allow-env: OpenBLAS detects the CPU itself
    }
  }
  const lib = Deno.dlopen(found, SYMBOLS);
  const s = lib.symbols;
  const config = cString(s.openblas_get_config());
  const version = /OpenBLAS\s+([0-9][0-9.]*)/.exec(config)?.[1] ?? "unknown";
  const coreType = cString(s.openblas_get_corename());
  const of = Deno.UnsafePointer.of;
  const at = Deno.UnsafePointer.offset;
  loaded = {
    path: found,
    config,
    version,
    coreType,
    sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc) {
      if (m === 0 || n === 0) return;
      if (k === 0) {
        scaleRows(c, cOffset, m, n, ldc, beta);
        return;
      }
      s.cblas_sgemm(
        ROW_MAJOR,
        transA ? TRANS : NO_TRANS,
        transB ? TRANS : NO_TRANS,
        m,
        n,
        k,
        alpha,
        at(of(a)!, aOffset * 4),
        lda,
        at(of(b)!, bOffset * 4),
        ldb,
        beta,
        at(of(c)!, cOffset * 4),
        ldc,
      );
    },
    setThreads(n) {
      if (!Number.isInteger(n) || n < 1) {
        throw new RangeError(`Cannot set OpenBLAS threads as n must be an integer >= 1: received ${n}`);
      }
      s.openblas_set_num_threads(n);
    },
    getThreads: () => s.openblas_get_num_threads(),
  };
  return loaded;
}

/** C = beta·C over an m×n block (what sgemm does when k = 0). */
function scaleRows(c: Float32Array, off: number, m: number, n: number, ldc: number, beta: number) {
  for (let i = 0; i < m; i++) {
    const row = off + i * ldc;
    for (let j = 0; j < n; j++) c[row + j] = beta === 0 ? 0 : beta * c[row + j];
  }
}

function cString(p: Deno.PointerValue): string {
  return p ? new Deno.UnsafePointerView(p).getCString() : "";
}

function safeEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}

/** The OpenBLAS kernel family that suits this x86 CPU, or null to let OpenBLAS decide. */
function coreTypeFromCpuInfo(): string | null {
  let text: string;
  try {
    text = Deno.readTextFileSync("/proc/cpuinfo");
  } catch {
    return null;
  }
  const line = text.split("\n").find((l) => l.startsWith("flags"));
  if (!line) return null;
  const flags = new Set(line.split(":")[1].trim().split(/\s+/));
  const has = (...names: string[]) => names.every((f) => flags.has(f));
  if (has("avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl")) return "SkylakeX";
  if (has("avx2", "fma")) return "Haswell";
  return null;
}
