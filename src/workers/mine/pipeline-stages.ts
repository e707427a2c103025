// Stage names of a run, in the order they run (shared by the worker and the page, which
// must not import the pipeline itself).
import type { RunRecord } from '../../db/schema';

export function stageNames(run: Pick<RunRecord, 'config'>): string[] {
  const c = run.config;
  const names: string[] = [];
  if (c.chunk !== 'none') names.push('chunk');
  for (const m of c.members) if (m.spec.startsWith('dense:')) names.push(`embed:${m.name}`);
  for (const m of c.members) names.push(`retrieve:${m.name}`);
  names.push('evaluate', 'select');
  if (c.reranker) names.push('rerank');
  return names;
}
