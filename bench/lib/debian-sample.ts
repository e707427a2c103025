// The documents the runtime benchmarks embed: every (corpus/N)-th Debian document, so the
// length mix matches the corpus, as `title: text`, longest first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docText } from '../../src/core/types';
import { DEBIAN } from './env';

export function sampleDebianDocs(n: number): string[] {
  const lines = readFileSync(join(DEBIAN, 'corpus.jsonl'), 'utf8').split('\n').filter(Boolean);
  const step = Math.max(1, Math.floor(lines.length / n));
  return lines
    .filter((_, i) => i % step === 0)
    .slice(0, n)
    .map((l) => docText(JSON.parse(l) as { title: string; text: string }))
    .sort((a, b) => b.length - a.length);
}
