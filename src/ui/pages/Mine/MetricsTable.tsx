// Retrieval quality of each member and of the fused ensemble on the run's split
// (RunRecord.metrics), the numbers `quarry eval` prints for the same config.
import { plural } from '../../components/format';
import type { RunRecord } from '../../../db/schema';

export const METRIC_KEYS = ['ndcg@10', 'mrr@10', 'recall@10', 'recall@100'] as const;
const LABEL: Record<(typeof METRIC_KEYS)[number], string> = {
  'ndcg@10': 'nDCG@10',
  'mrr@10': 'MRR@10',
  'recall@10': 'Recall@10',
  'recall@100': 'Recall@100',
};

export function MetricsTable({ run }: { run: RunRecord }) {
  const m = run.metrics;
  if (!m) return null;
  const rows = Object.keys(m).sort((a, b) => (a === 'ensemble' ? 1 : b === 'ensemble' ? -1 : 0));
  const best: Record<string, number> = {};
  for (const k of METRIC_KEYS) best[k] = Math.max(...rows.map((r) => m[r][k] ?? -Infinity));
  const queries = m[rows[0]]?.queries;
  return (
    <table className="mine-metrics" data-testid="metrics-table">
      <caption>
        Evaluation on split “{run.config.split}”{queries ? ` · ${plural(queries, 'query', 'queries')}` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Retriever</th>
          {METRIC_KEYS.map((k) => (
            <th scope="col" key={k}>
              {LABEL[k]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r} data-member={r} className={r === 'ensemble' ? 'mine-ensemble' : undefined}>
            <th scope="row">{r === 'ensemble' ? `ensemble (${run.config.fusion})` : r}</th>
            {METRIC_KEYS.map((k) => (
              <td key={k} data-metric={k} className={m[r][k] === best[k] && rows.length > 1 ? 'mine-best' : undefined}>
                {m[r][k]?.toFixed(3) ?? '—'}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
