import { describe, expect, it } from 'vitest';
import { mappingProblem, readColumns } from './header';

describe('the column-mapping form of a pairs file', () => {
  it('is not offered for an empty CSV or a one-column file: the page says why instead', async () => {
    const empty = await readColumns(new Blob(['']), 'pairs.csv', 'csv');
    expect(mappingProblem('pairs.csv', empty)).toBe('pairs.csv: the file is empty (no header row and no data): nothing to import, nothing was changed.');
    const one = await readColumns(new Blob(['query\nwhat is apt\n']), 'one.csv', 'csv');
    expect(mappingProblem('one.csv', one)).toMatch(/^one.csv: only one column \("query"\)/);
    const emptyJsonl = await readColumns(new Blob(['\n\n']), 'pairs.jsonl', 'jsonl');
    expect(mappingProblem('pairs.jsonl', emptyJsonl)).toMatch(/the file is empty/);
  });

  it('is offered for a two-column file', async () => {
    const ok = await readColumns(new Blob(['anchor,positive\nA,B\n']), 'pairs.csv', 'csv');
    expect(ok.columns).toEqual(['anchor', 'positive']);
    expect(mappingProblem('pairs.csv', ok)).toBeUndefined();
  });
});
