// Fixture for e2e/runtime.spec.ts and bench/rows/runtime.ts: a slice of the Debian dev
// split with the PyTorch reference rankings (../shared/reference/debian-pkgs-dev.jsonl).
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';

export const SHARED = path.resolve(process.env.QUARRY_SHARED ?? '../shared');

export interface RefRow {
  query_id: string;
  query: string;
  'pkgs-minilm': Array<[string, number]>;
  'pkgs-static': Array<[string, number]>;
  'pkgs-rerank@pkgs-minilm-top30': Array<[string, number]>;
}

export function readReference(n: number): RefRow[] {
  const lines = readFileSync(path.join(SHARED, 'reference/debian-pkgs-dev.jsonl'), 'utf8').split('\n').filter(Boolean);
  return lines.slice(0, n).map((l) => JSON.parse(l) as RefRow);
}

/** `title: text` (just text when the title is empty) for the wanted ids, or the first `limit` docs. */
export async function readDocs(want: Set<string> | null, limit = Infinity): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const rl = createInterface({ input: createReadStream(path.join(SHARED, 'data/debian-pkgs/corpus.jsonl')) });
  for await (const line of rl) {
    if (!line) continue;
    const d = JSON.parse(line) as { _id: string; title: string; text: string };
    if (want && !want.has(d._id)) continue;
    out.set(d._id, d.title ? `${d.title}: ${d.text}` : d.text);
    if (out.size >= limit || (want && out.size === want.size)) break;
  }
  rl.close();
  return out;
}

/** Serve ../shared/models/<name>/... at /models-fp32/<name>/... (fp32 weights are not in public/). */
export function fp32File(urlPath: string): string | null {
  const m = /\/models-fp32\/([\w.-]+)\/(.+)$/.exec(urlPath);
  if (!m || m[2].includes('..')) return null;
  return path.join(SHARED, 'models', m[1], m[2]);
}
