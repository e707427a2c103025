// A tiny WebAssembly SIMD kernel for the inner loop of exact top-k: the dot products of FOUR
// query rows with each row of a block of documents (f32x4 lanes, float32 accumulation, like
// BLAS/PyTorch). Scalar JavaScript tops out near 1 GMAC/s here; this runs several times
// faster. The module is ~200 bytes, assembled below from opcodes (no toolchain, no binary
// file to ship), and compiled synchronously (allowed for small modules even on a page's main
// thread). Where WebAssembly SIMD is unavailable, getSimdKernel() returns null and callers use
// the plain JavaScript loop.
//
// Exported function scores4(q, d, nd, dim, out), all byte addresses / counts as i32:
//   q   four query rows, each `dim` floats, contiguous
//   d   `nd` document rows of `dim` floats (dim a multiple of 4, nd EVEN; pad with zeros)
//   out receives nd × 4 floats: out[4·i + r] = <query r, document i>

const I32 = 0x7f;
const V128 = 0x7b;

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const str = (s: string) => [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

// opcodes
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32c = (v: number) => [0x41, ...sleb(v)];
const ADD = 0x6a, SHL = 0x74, GE_U = 0x4f, F32ADD = 0x92;
const simd = (op: number) => [0xfd, ...leb(op)];
const v128load = [...simd(0x00), 0x02, 0x00]; // align 2^2, offset 0
const F32X4_ADD = simd(0xe4), F32X4_MUL = simd(0xe6);
const lane = (l: number) => [...simd(0x1f), l];
const f32store = (offset: number) => [0x38, 0x02, ...leb(offset)];
const v128zero = [...simd(0x0c), ...new Array(16).fill(0)];

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function buildModule(): Uint8Array<ArrayBuffer> {
  // Two documents per step (4 queries × 2 documents = 8 accumulators): each query vector load
  // serves two documents. nd must be even (callers pad the block with a zero row).
  // params 0 q, 1 d, 2 nd, 3 dim, 4 out
  // i32 locals: 5 i, 6 j, 7 rb (row bytes), 8 dp, 9 qj, 10 op, 11 rb2, 12 rb3, 13 dp2
  // v128 locals: 14..17 acc for document 0, 18..21 acc for document 1, 22 x0, 23 x1, 24 qv
  const [Q, D, ND, DIM, OUT, I, J, RB, DP, QJ, OP, RB2, RB3, DP2] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const ACC0 = [14, 15, 16, 17], ACC1 = [18, 19, 20, 21], X0 = 22, X1 = 23, QV = 24;
  const accStep = (r: number, rowOff: number[]) => [
    ...get(QJ), ...rowOff, ...v128load, ...set(QV),
    ...get(ACC0[r]), ...get(QV), ...get(X0), ...F32X4_MUL, ...F32X4_ADD, ...set(ACC0[r]),
    ...get(ACC1[r]), ...get(QV), ...get(X1), ...F32X4_MUL, ...F32X4_ADD, ...set(ACC1[r]),
  ];
  const hsum = (acc: number) => [
    ...get(acc), ...lane(0), ...get(acc), ...lane(1), F32ADD,
    ...get(acc), ...lane(2), ...get(acc), ...lane(3), F32ADD,
    F32ADD,
  ];
  const zeroAll = [...ACC0, ...ACC1].flatMap((a) => [...v128zero, ...set(a)]);
  const stores = [
    ...[0, 1, 2, 3].flatMap((r) => [...get(OP), ...hsum(ACC0[r]), ...f32store(4 * r)]),
    ...[0, 1, 2, 3].flatMap((r) => [...get(OP), ...hsum(ACC1[r]), ...f32store(16 + 4 * r)]),
  ];
  const body = [
    ...leb(2), ...leb(9), I32, ...leb(11), V128,
    // rb = dim << 2; rb2 = 2·rb; rb3 = 3·rb; dp = d; op = out; i = 0
    ...get(DIM), ...i32c(2), SHL, ...set(RB),
    ...get(RB), ...get(RB), ADD, ...set(RB2),
    ...get(RB2), ...get(RB), ADD, ...set(RB3),
    ...get(D), ...set(DP),
    ...get(OUT), ...set(OP),
    ...i32c(0), ...set(I),
    0x02, 0x40, // block $exit
    0x03, 0x40, //   loop $docs
    ...get(I), ...get(ND), GE_U, 0x0d, 1, // br_if $exit
    ...get(DP), ...get(RB), ADD, ...set(DP2),
    ...zeroAll,
    ...i32c(0), ...set(J),
    0x02, 0x40, //     block $jexit
    0x03, 0x40, //       loop $dims
    ...get(J), ...get(RB), GE_U, 0x0d, 1, // br_if $jexit
    ...get(DP), ...get(J), ADD, ...v128load, ...set(X0),
    ...get(DP2), ...get(J), ADD, ...v128load, ...set(X1),
    ...get(Q), ...get(J), ADD, ...set(QJ),
    ...accStep(0, []),
    ...accStep(1, [...get(RB), ADD]),
    ...accStep(2, [...get(RB2), ADD]),
    ...accStep(3, [...get(RB3), ADD]),
    ...get(J), ...i32c(16), ADD, ...set(J),
    0x0c, 0, //         br $dims
    0x0b, //           end loop
    0x0b, //         end block
    ...stores,
    ...get(OP), ...i32c(32), ADD, ...set(OP),
    ...get(DP2), ...get(RB), ADD, ...set(DP),
    ...get(I), ...i32c(2), ADD, ...set(I),
    0x0c, 0, //       br $docs
    0x0b, //        end loop
    0x0b, //      end block
    0x0b, // end function
  ];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]), // type (i32 ×5) → ()
    ...section(3, [1, 0]), // one function of type 0
    ...section(5, [1, 0x00, 1]), // one memory, min 1 page, no max
    ...section(7, [2, ...str('mem'), 0x02, 0, ...str('scores4'), 0x00, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ];
  return new Uint8Array(bytes);
}

export interface SimdKernel {
  memory: WebAssembly.Memory;
  scores4(q: number, d: number, nd: number, dim: number, out: number): void;
}

let cached: SimdKernel | null | undefined;

/** The compiled kernel, or null when this engine lacks WebAssembly SIMD. */
export function getSimdKernel(): SimdKernel | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    if (typeof WebAssembly === 'object') {
      const bytes = buildModule();
      if (WebAssembly.validate(bytes)) {
        const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
        const ex = inst.exports as unknown as { mem: WebAssembly.Memory; scores4: SimdKernel['scores4'] };
        cached = { memory: ex.mem, scores4: ex.scores4 };
      }
    }
  } catch {
    cached = null;
  }
  return cached;
}

/** For tests: forget the compiled kernel (or force the scalar path with `null`). */
export function setSimdKernelForTests(k: SimdKernel | null | undefined): void {
  cached = k;
}
