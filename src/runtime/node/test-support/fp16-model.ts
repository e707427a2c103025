// Test support: an fp16 copy of an fp32 ONNX model, made without Python. Every float32
// initializer is stored as float16 and cast back to float32 where the graph reads it, and every
// float32 graph output is cast to float16 — the file shape of an fp16 export (half weights,
// float16 outputs), with fp32 arithmetic inside. Uses the ONNX protobuf codec that ships with
// onnxruntime-web.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';

const FLOAT = 1;
const FLOAT16 = 10;

interface Tensor { name: string; dataType: number; rawData?: Uint8Array; floatData?: number[] }
interface Node { input: string[]; output: string[]; name: string; opType: string; attribute: unknown[] }
interface ValueInfo { name: string; type: { tensorType: { elemType: number } } }
interface Model { graph: { node: Node[]; initializer: Tensor[]; output: ValueInfo[] } }
interface Codec {
  ModelProto: { decode(b: Uint8Array): Model; encode(m: Model): { finish(): Uint8Array } };
  NodeProto: { create(o: object): Node };
  AttributeProto: { create(o: object): unknown; AttributeType: { INT: number } };
}

function codec(): Codec {
  // Not an exported subpath: resolve the package's main file, then walk to lib/ beside dist/.
  const require = createRequire(import.meta.url);
  const main = require.resolve('onnxruntime-web');
  const root = main.slice(0, main.lastIndexOf('/dist/') + 1);
  return (require(`${root}lib/onnxjs/ort-schema/protobuf/onnx.js`) as { onnx: Codec }).onnx;
}

/** IEEE 754 half bits of a float32 (round to nearest even; overflow to ±Inf). */
export function toHalf(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  let mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

export function writeFp16Copy(fp32File: string, out: string): void {
  const onnx = codec();
  const model = onnx.ModelProto.decode(readFileSync(fp32File));
  const g = model.graph;
  const cast = (input: string, output: string, to: number) =>
    onnx.NodeProto.create({ input: [input], output: [output], name: `cast_${output}`, opType: 'Cast', attribute: [onnx.AttributeProto.create({ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: to })] });
  const front: Node[] = [];
  for (const t of g.initializer) {
    if (t.dataType !== FLOAT) continue;
    const raw = t.rawData?.length ? t.rawData : new Uint8Array(new Float32Array(t.floatData ?? []).buffer);
    const src = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const half = new Uint16Array(src.length);
    for (let i = 0; i < src.length; i++) half[i] = toHalf(src[i]);
    const name = t.name;
    t.name = `${name}__fp16`;
    t.dataType = FLOAT16;
    t.rawData = new Uint8Array(half.buffer);
    t.floatData = [];
    front.push(cast(t.name, name, FLOAT));
  }
  const back: Node[] = [];
  for (const o of g.output) {
    if (o.type.tensorType.elemType !== FLOAT) continue;
    const inner = `${o.name}__fp32`;
    for (const n of g.node) n.output = n.output.map((x) => (x === o.name ? inner : x));
    back.push(cast(inner, o.name, FLOAT16));
    o.type.tensorType.elemType = FLOAT16;
  }
  g.node = [...front, ...g.node, ...back];
  writeFileSync(out, onnx.ModelProto.encode(model).finish());
}
