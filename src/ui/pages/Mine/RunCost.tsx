// "What this run costs", shown before a run starts: per dense member, the texts still to
// embed (stored vectors are free) over the rate measured for the model on this device (the
// Models page test, or what an earlier run achieved), and the reranker's pairs. Re-estimated
// when the form changes, an import commits, a run of the project changes status or a rate is
// measured: not on every block a running job stores, because an estimate reads the stored
// ids of every embedding block (on the Debian corpus a live estimate re-read all stored
// vectors after each block, and made mining several times slower).
import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { getDB } from '../../../db/db';
import type { MiningConfig, ModelRecord } from '../../../db/schema';
import { describeCost, formatDuration, totalSeconds, type MemberCost } from '../../../core/mining/remine-cost';
import { importsVersion } from '../../../db/imports';
import { runCost } from '../../../workers/mine/cost';

/** Changes when an import of the project commits, a run of it changes status, or a rate is measured. */
async function costStamp(projectId: string): Promise<string> {
  const db = getDB();
  const [imports, runs, rates] = await Promise.all([
    importsVersion(db, projectId),
    db.runs.where('projectId').equals(projectId).toArray(),
    db.throughput.toArray(),
  ]);
  return JSON.stringify([imports, runs.map((r) => `${r.id}:${r.status}`), rates.map((t) => `${t.model}|${t.device}|${t.at}`)]);
}

export function RunCost(props: { projectId: string; config: MiningConfig | null; models: ModelRecord[] }) {
  const { projectId, config, models } = props;
  const key = config ? JSON.stringify(config) : '';
  const stamp = useLiveQuery(() => costStamp(projectId), [projectId]);
  const [costs, setCosts] = useState<MemberCost[] | null>(null);
  useEffect(() => {
    if (!config || stamp === undefined) return setCosts(null);
    let current = true;
    void runCost(getDB(), projectId, config, models)
      .catch(() => null)
      .then((c) => current && setCosts(c));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for config
  }, [projectId, key, models, stamp]);
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
