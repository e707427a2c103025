// Node embedding throughput on Debian documents (title: text), as reported in the runtime
// notes:  npx tsx src/runtime/node/bench-throughput.ts [N=2000] [model:dtype,...]
// Documents are every (corpus/N)-th package, so the length mix matches the corpus.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { docText } from '../../core/types';
import { loadEmbedder } from '../embedder';
import { localModelSource, nodeSessionOptions } from './local-model';

const shared = process.env.QUARRY_SHARED ?? resolve(process.cwd(), '../shared');
const n = Number(process.argv[2] ?? 2000);
const which = (process.argv[3] ?? 'pkgs-minilm:fp32,pkgs-minilm:q8,pkgs-static:fp32,pkgs-static:q8').split(',');
const lines = readFileSync(resolve(shared, 'data/debian-pkgs/corpus.jsonl'), 'utf8').split('\n').filter(Boolean);
const step = Math.max(1, Math.floor(lines.length / n));
const texts = lines
  .filter((_, i) => i % step === 0)
  .slice(0, n)
  .map((l) => docText(JSON.parse(l) as { title: string; text: string }));

console.log(`${texts.length} Debian documents, ${availableParallelism()} threads`);
for (const w of which) {
  const [name, dtype] = w.split(':') as [string, 'fp32' | 'q8'];
  const e = await loadEmbedder(localModelSource(resolve(shared, 'models', name), dtype), { dtype, sessionOptions: nodeSessionOptions() });
  const t0 = performance.now();
  const enc = e.encode(texts, 'document');
  const t1 = performance.now();
  await e.embed(texts, 'document');
  const t2 = performance.now();
  const tokens = enc.reduce((s, x) => s + x.inputIds.length, 0) / texts.length;
  console.log(
    `${name} ${dtype}: ${(texts.length / ((t2 - t1) / 1000)).toFixed(1)} docs/s ` +
      `(${((t2 - t1) / 1000).toFixed(1)} s incl. tokenization; tokenization alone ${((t1 - t0) / 1000).toFixed(2)} s; mean ${tokens.toFixed(0)} tokens)`,
  );
  await e.dispose();
}
