import { describe, expect, it } from 'vitest';
import { parseRoute, projectPath } from './router';

describe('router', () => {
  it('parses the project list, project pages with runs, and unknown paths', () => {
    expect(parseRoute('')).toEqual({ kind: 'projects' });
    expect(parseRoute('#/')).toEqual({ kind: 'projects' });
    expect(parseRoute('#/p/p-1')).toEqual({ kind: 'project', projectId: 'p-1', page: 'data' });
    expect(parseRoute('#/p/p-1/review/run-9')).toEqual({ kind: 'project', projectId: 'p-1', page: 'review', runId: 'run-9' });
    expect(parseRoute('#/p/p-1/nope')).toEqual({ kind: 'not-found', path: '/p/p-1/nope' });
    expect(parseRoute('#/elsewhere')).toEqual({ kind: 'not-found', path: '/elsewhere' });
  });
  it('round-trips ids that need escaping', () => {
    const path = projectPath('a b/c', 'mine', 'r#1');
    expect(path).toBe('/p/a%20b%2Fc/mine/r%231');
    expect(parseRoute('#' + path)).toEqual({ kind: 'project', projectId: 'a b/c', page: 'mine', runId: 'r#1' });
  });
});

describe('links to a query', () => {
  it('parses and builds #/p/<project>/review/<run>/<query>', () => {
    expect(parseRoute('#/p/p1/review/r%2F1/q%3A7')).toEqual({ kind: 'project', projectId: 'p1', page: 'review', runId: 'r/1', queryId: 'q:7' });
    expect(projectPath('p1', 'review', 'r/1', 'q:7')).toBe('/p/p1/review/r%2F1/q%3A7');
    expect(projectPath('p1', 'review', undefined, 'q:7')).toBe('/p/p1/review');
  });
});
