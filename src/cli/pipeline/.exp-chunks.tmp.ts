import { resolve } from 'node:path';
import { chunkText, parseChunkSpec } from '../../core/chunking';
import { evaluate } from '../../core/metrics';
import { docText, type Hit } from '../../core/types';
import { loadEmbedder } from '../../runtime/embedder';
import { localModelSource, nodeSessionOptions } from '../../runtime/node/local-model';
import { withEmbeddingCache } from '../cache/embedding-cache';
import { loadSplit } from './data';
const io = { stdout: (t: string) => process.stdout.write(t), stderr: (t: string) => process.stderr.write(t), cwd: process.cwd() };
const data = await loadSplit('../shared/data/manpages', 'dev', io as never, console.log);
const model = process.argv[2] ?? 'pkgs-static';
const inner = await loadEmbedder(localModelSource(resolve('../shared/models/' + model), 'fp32'), { dtype: 'fp32', sessionOptions: nodeSessionOptions() });
const e = withEmbeddingCache(inner, '/tmp/rc/cache');
const spec = parseChunkSpec(process.argv[3] ?? 'tokens:200:50');
const qv = await e.embed(data.queries.map((q) => q.text), 'query');
const dim = e.dim;
const full = await e.embed(data.docs.map(docText), 'document');
const units: string[] = []; const owner: number[] = []; const idxIn: number[] = [];
for (let i = 0; i < data.docs.length; i++) {
  const d = data.docs[i];
  const spans = spec.kind === 'tokens' ? await inner.tokenSpans(d.text) : undefined;
  chunkText(d.text, spec, spans).forEach((c, k) => { units.push(docText({ title: d.title, text: c.text })); owner.push(i); idxIn.push(k); });
}
const cv = await e.embed(units, 'document');
console.log('units', units.length, 'cache', e.stats);
const dotp = (a: Float32Array, ao: number, b: Float32Array, bo: number) => { let s = 0; for (let k = 0; k < dim; k++) s += a[ao + k] * b[bo + k]; return s; };
const variants: Record<string, (q: number) => Float64Array> = {};
const full_ = (q: number) => { const s = new Float64Array(data.docs.length); for (let i = 0; i < s.length; i++) s[i] = dotp(qv, q * dim, full, i * dim); return s; };
const chunkScores = (q: number) => { const s = new Float64Array(units.length); for (let u = 0; u < units.length; u++) s[u] = dotp(qv, q * dim, cv, u * dim); return s; };
const run = (name: string, f: (fs: Float64Array, cs: Float64Array) => Float64Array) => {
  const r = new Map<string, Hit[]>();
  data.queries.forEach((qq, q) => { const sc = f(full_(q), chunkScores(q)); const hits = data.docs.map((d, i): Hit => [d.id, sc[i]]).sort((a, b) => b[1] - a[1]).slice(0, 100); r.set(qq.id, hits); });
  const m = evaluate(r, data.qrels); console.log(name.padEnd(28), m['ndcg@10'].toFixed(4), m['recall@100'].toFixed(4));
};
const maxFirst = (cap: number) => (fs: Float64Array, cs: Float64Array) => { const s = new Float64Array(data.docs.length).fill(-Infinity); for (let u = 0; u < units.length; u++) if (idxIn[u] < cap) s[owner[u]] = Math.max(s[owner[u]], cs[u]); return s; };
run('unchunked', (fs) => fs);
for (const cap of [1, 2, 4, 8, 16, 32, 1e9]) run(`maxp first ${cap}`, maxFirst(cap));
run('max(full, maxp all)', (fs, cs) => { const s = maxFirst(1e9)(fs, cs); for (let i = 0; i < s.length; i++) s[i] = Math.max(s[i], fs[i]); return s; });
run('mean(full, maxp all)', (fs, cs) => { const s = maxFirst(1e9)(fs, cs); for (let i = 0; i < s.length; i++) s[i] = 0.5 * s[i] + 0.5 * fs[i]; return s; });
