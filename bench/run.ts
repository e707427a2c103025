// `npm run bench`: runs every row module in bench/rows/ (or those whose file name
// contains one of the arguments: `npm run bench -- import parse`) and prints one table
// of what this run measured. Results also go to bench-results/latest.json.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanupAll, ROOT } from './lib/env';
import type { BenchModule, Row } from './types';

function table(rows: Row[]): string {
  const cells = rows.map((r) => [r.row, typeof r.value === 'number' ? r.value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : r.value, r.unit ?? '', r.detail ?? '']);
  const head = ['row', 'value', 'unit', 'detail'];
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => '| ' + c.map((x, i) => (i === 1 ? x.padStart(width[i]) : x.padEnd(width[i]))).join(' | ') + ' |';
  return [line(head), '|' + width.map((w, i) => (i === 1 ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|', ...cells.map(line)].join('\n');
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const dir = join(ROOT, 'bench', 'rows');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  const rows: Row[] = [];
  let failed = 0;
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as Partial<BenchModule> & { default?: BenchModule };
    const m = typeof mod.run === 'function' ? (mod as BenchModule) : mod.default;
    if (!m || typeof m.run !== 'function') {
      console.error(`bench/rows/${f}: skipped (does not export name and run())`);
      continue;
    }
    const label = m.name ?? f;
    process.stderr.write(`running ${label}…\n`);
    const t0 = Date.now();
    try {
      const got = await m.run();
      rows.push(...got);
      process.stderr.write(`  ${label}: ${got.length} row(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (err) {
      failed++;
      const msg = err instanceof Error ? err.message : String(err);
      rows.push({ row: label, value: 'FAILED', detail: msg.split('\n')[0] });
      console.error(`  ${label} failed: ${err instanceof Error ? (err.stack ?? msg) : msg}`);
    }
  }
  await cleanupAll();
  console.log(table(rows));
  mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench-results', 'latest.json'), JSON.stringify({ at: new Date().toISOString(), rows }, null, 2) + '\n');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    console.error(err);
    await cleanupAll();
    process.exit(1);
  },
);
