#!/usr/bin/env node
// Builds public/demo/: a deterministic slice of ../shared/data/debian-pkgs for the
// one-click demo project. About 300 dev queries with their positives, plus the
// documents that the PyTorch reference rankings (pkgs-minilm and pkgs-static top-50)
// put near them, so the miner finds real hard negatives in a small corpus.
//
// Documents are added breadth-first by rank (rank 1 of every query's lists, then rank 2,
// ...) until the cap, so every query gets equally deep neighbourhoods.
//
// `--preset ja` builds public/demo-ja/ instead: the Japanese set ../shared/data/debian-pkgs-ja
// whole (6,604 documents, all 1,120 dev queries: about 1 MB gzipped), so the browser demo
// and `quarry eval` on that set report the same figures.
//
// Usage: node scripts/make-demo.mjs [--preset ja] [--data DIR] [--reference FILE|none] [--queries 300|0=all]
//        [--max-docs 4000|0=all] [--out DIR]
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const shared = process.env.QUARRY_SHARED ?? join(root, '..', 'shared');
const PRESETS = {
  en: {
    data: join(shared, 'data', 'debian-pkgs'),
    reference: join(shared, 'reference', 'debian-pkgs-dev.jsonl'),
    queries: '300',
    maxDocs: '4000',
    out: join(root, 'public', 'demo'),
    name: 'Debian packages (demo)',
    description:
      'A slice of the Debian package descriptions: dev-split queries (one-line package summaries) with their ' +
      'positives (long descriptions) and the documents two small retrievers rank near them.',
    source: 'debian-pkgs (dev split), neighbours from reference/debian-pkgs-dev.jsonl (pkgs-minilm, pkgs-static top-50)',
  },
  ja: {
    data: join(shared, 'data', 'debian-pkgs-ja'),
    reference: 'none',
    queries: '0',
    maxDocs: '0',
    out: join(root, 'public', 'demo-ja'),
    name: 'Debian パッケージ（日本語デモ）',
    description:
      'Debian package descriptions in Japanese (Debian Description Translation Project): every document and ' +
      'every dev-split query (one-line summaries) with their positives.',
    source: 'debian-pkgs-ja (all documents, dev split)',
  },
};
const preset = PRESETS[opt('preset', 'en')];
if (!preset) throw new Error(`--preset: expected one of ${Object.keys(PRESETS).join(', ')}`);
const dataDir = resolve(opt('data', preset.data));
const refOpt = opt('reference', preset.reference);
const refFile = refOpt === 'none' ? null : resolve(refOpt);
const wantQueries = Number(opt('queries', preset.queries));
const maxDocs = Number(opt('max-docs', preset.maxDocs)) || Infinity;
const outDir = resolve(opt('out', preset.out));

async function* lines(path) {
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim()) yield line;
}

// 1. Dev queries with positives, in id order; every k-th one for an even spread.
const devQrels = new Map(); // queryId -> [[docId, score]]
let header = true;
for await (const line of lines(join(dataDir, 'qrels', 'dev.tsv'))) {
  if (header) {
    header = false;
    continue;
  }
  const [q, d, s] = line.split('\t');
  if (Number(s) <= 0) continue;
  if (!devQrels.has(q)) devQrels.set(q, []);
  devQrels.get(q).push([d, Number(s)]);
}
const reference = new Map();
if (refFile)
  for await (const line of lines(refFile)) {
    const r = JSON.parse(line);
    reference.set(r.query_id, r);
  }
const candidates = [...devQrels.keys()].filter((q) => !refFile || reference.has(q)).sort();
const nQueries = wantQueries > 0 ? wantQueries : candidates.length;
const step = candidates.length / nQueries;
const chosen = [];
for (let i = 0; i < nQueries && Math.floor(i * step) < candidates.length; i++) chosen.push(candidates[Math.floor(i * step)]);

// 2. Documents: every positive first, then reference neighbours breadth-first by rank.
const docIds = new Set();
for (const q of chosen) for (const [d] of devQrels.get(q)) docIds.add(d);
outer: for (let rank = 0; refFile && rank < 50; rank++) {
  for (const q of chosen) {
    const r = reference.get(q);
    for (const list of [r['pkgs-minilm'], r['pkgs-static']]) {
      if (docIds.size >= maxDocs) break outer;
      const hit = list[rank];
      if (hit) docIds.add(hit[0]);
    }
  }
}

// 3. Write the BEIR slice (corpus in corpus order, queries in query order).
const corpusLines = [];
for await (const line of lines(join(dataDir, 'corpus.jsonl'))) {
  const d = JSON.parse(line);
  if (maxDocs === Infinity || docIds.has(d._id)) corpusLines.push(JSON.stringify({ _id: d._id, title: d.title ?? '', text: d.text }));
}
const chosenSet = new Set(chosen);
const queryLines = [];
for await (const line of lines(join(dataDir, 'queries.jsonl'))) {
  const q = JSON.parse(line);
  if (chosenSet.has(q._id)) queryLines.push(JSON.stringify({ _id: q._id, text: q.text }));
}
const qrelLines = ['query-id\tcorpus-id\tscore'];
for (const q of chosen) for (const [d, s] of devQrels.get(q)) qrelLines.push(`${q}\t${d}\t${s}`);

mkdirSync(join(outDir, 'qrels'), { recursive: true });
// gzip headers from node:zlib carry no timestamp, so the output is byte-for-byte repeatable.
writeFileSync(join(outDir, 'corpus.jsonl.gz'), gzipSync(corpusLines.join('\n') + '\n', { level: 9 }));
writeFileSync(join(outDir, 'queries.jsonl.gz'), gzipSync(queryLines.join('\n') + '\n', { level: 9 }));
writeFileSync(join(outDir, 'qrels', 'dev.tsv'), qrelLines.join('\n') + '\n');
const manifest = {
  name: preset.name,
  description: preset.description,
  source: preset.source,
  files: ['corpus.jsonl.gz', 'queries.jsonl.gz', 'qrels/dev.tsv'],
  counts: { documents: corpusLines.length, queries: queryLines.length, qrels: qrelLines.length - 1 },
  split: 'dev',
};
writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`${outDir}: ${manifest.counts.documents} documents, ${manifest.counts.queries} queries, ${manifest.counts.qrels} qrels`);
