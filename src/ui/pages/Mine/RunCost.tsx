// "What this run costs", shown before a run starts: per dense member, the texts still to
// embed (stored vectors are free) over the rate measured for the model on this device (the
// Models page test, or what an earlier run achieved), and the reranker's pairs. Reads
// live, so a test on the Models page or a finished run updates it.
import { useLiveQuery } from 'dexie-react-hooks';
import { getDB } from '../../../db/db';
import type { MiningConfig, ModelRecord } from '../../../db/schema';
import { describeCost, formatDuration, totalSeconds } from '../../../core/mining/remine-cost';
import { runCost } from '../../../workers/mine/cost';

export function RunCost(props: { projectId: string; config: MiningConfig | null; models: ModelRecord[] }) {
  const { projectId, config, models } = props;
  const key = config ? JSON.stringify(config) : '';
  const costs = useLiveQuery(
    async () => (config ? runCost(getDB(), projectId, config, models).catch(() => null) : null),
    [projectId, key, models],
  );
  if (!config || !costs) return null;
  const total = totalSeconds(costs);
  return (
    <div className="mine-cost" data-testid="run-cost">
      <h3>What this run costs</h3>
      {costs.length === 0 ? (
        <p className="mine-muted">BM25 only: no model to run (seconds).</p>
      ) : (
        <ul>
          {costs.map((c) => (
            <li key={c.name} data-testid="run-cost-line">
              {describeCost(c)}
            </li>
          ))}
        </ul>
      )}
      {costs.length > 1 && <p data-testid="run-cost-total">{total === undefined ? 'Total: unknown (a model above was never measured)' : `Total ≈ ${formatDuration(total)}`}</p>}
    </div>
  );
}
