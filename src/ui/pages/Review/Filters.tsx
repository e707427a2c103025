import { memo } from 'react';
import { useReviewStore } from '../../../state/review';
import type { FlagFilter, Range, StatusFilter } from '../../../core/review/queue';

const STATUS: Array<[StatusFilter, string]> = [
  ['all', 'All'],
  ['todo', 'To do'],
  ['decided', 'Decided'],
  ['accept', 'Accepted'],
  ['reject', 'Rejected'],
  ['positive', 'Promoted'],
  ['skip', 'Skipped'],
];
const FLAGS: Array<[FlagFilter, string]> = [
  ['any', 'Any'],
  ['flagged', 'Any flag'],
  ['unflagged', 'No flag'],
  ['suspected-false-negative', 'Suspected false negative'],
  ['near-duplicate', 'Near-duplicate'],
  ['duplicate-of-positive', 'Duplicate of positive'],
  ['random', 'Random'],
];

function num(v: string): number | null {
  if (v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function RangeInput({ label, value, onChange }: { label: string; value: Range; onChange: (r: Range) => void }) {
  return (
    <fieldset className="rv-range">
      <legend>{label}</legend>
      <input type="number" step="any" placeholder="min" aria-label={`${label} min`} value={value[0] ?? ''} onChange={(e) => onChange([num(e.target.value), value[1]])} />
      <span>–</span>
      <input type="number" step="any" placeholder="max" aria-label={`${label} max`} value={value[1] ?? ''} onChange={(e) => onChange([value[0], num(e.target.value)])} />
    </fieldset>
  );
}

interface FiltersProps {
  /** Only the first query is loaded yet. */
  partial: boolean;
  queueSize: number;
  candidates: number;
  depth: number;
}

// Memoised on plain props: a decision that leaves the queue as it was does not paint the
// filters (and their selects) again.
export const Filters = memo(function Filters({ partial, queueSize, candidates, depth }: FiltersProps) {
  const f = useReviewStore((s) => s.filters);
  const set = useReviewStore((s) => s.setFilters);
  const reset = useReviewStore((s) => s.resetFilters);
  return (
    <aside className="rv-filters" aria-label="Filters">
      <label>
        Search
        <input type="search" placeholder="query, document text, id" value={f.search} onChange={(e) => set({ search: e.target.value })} />
      </label>
      <label>
        Status
        <select value={f.status} onChange={(e) => set({ status: e.target.value as StatusFilter })}>
          {STATUS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label>
        Flag
        <select value={f.flag} onChange={(e) => set({ flag: e.target.value as FlagFilter })}>
          {FLAGS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <RangeInput label="Fused score" value={f.fused} onChange={(fused) => set({ fused })} />
      <RangeInput label="Cross-encoder" value={f.ce} onChange={(ce) => set({ ce })} />
      <label title="Largest minus smallest member rank (a member that missed it counts as depth + 1)">
        Member disagreement ≥ <b>{f.disagreement || 'off'}</b>
        <input type="range" min={0} max={depth} value={f.disagreement} onChange={(e) => set({ disagreement: Number(e.target.value) })} />
      </label>
      <label className="rv-check">
        <input type="checkbox" checked={f.onlyNew} onChange={(e) => set({ onlyNew: e.target.checked })} /> Only new candidates
        <span className="rv-muted"> (not proposed by an earlier run)</span>
      </label>
      <p className="rv-muted" data-testid="queue-size">
        {partial ? 'Loading the whole run…' : `${queueSize.toLocaleString()} of ${candidates.toLocaleString()} candidates`}
      </p>
      <button type="button" onClick={reset}>
        Clear filters
      </button>
    </aside>
  );
});
