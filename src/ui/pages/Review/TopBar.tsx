import { memo, useState } from 'react';
import { useReviewStore } from '../../../state/review';
import type { QueueOrder } from '../../../core/review/queue';
import type { ReviewCounts } from '../../../core/review/tally';
import { ActionKey } from './KeyHint';
import { isImeKey } from '../../actions/keys';

interface TopBarProps {
  counts: ReviewCounts;
  /** Only the first query is loaded yet. */
  partial: boolean;
  projectId: string;
  runName: string | undefined;
  run: (name: string) => void;
}

// Memoised on plain props: a key press that changes no count does not paint the bar again.
export const TopBar = memo(function TopBar({ counts, partial, projectId, runName, run }: TopBarProps) {
  const reviewer = useReviewStore((s) => s.reviewer);
  const setReviewer = useReviewStore((s) => s.setReviewer);
  const overlap = useReviewStore((s) => s.overlap);
  const setOverlap = useReviewStore((s) => s.setOverlap);
  const order = useReviewStore((s) => s.order);
  const setOrder = useReviewStore((s) => s.setOrder);
  const [name, setName] = useState(reviewer);
  const c = counts;
  const pct = c.total ? (100 * c.reviewed) / c.total : 0;
  const med = c.medianMs;
  const seg = (n: number) => `${c.total ? (100 * n) / c.total : 0}%`;
  return (
    <header className="rv-top">
      <div className="rv-title">
        <a className="rv-back" href={`#/p/${encodeURIComponent(projectId)}/review`} title="All runs">
          Review
        </a>
        <strong>{runName}</strong>
      </div>
      <div className="rv-progress" aria-label="Progress">
        {/* The time per decision sits beside the bar, so the counts below fit one line at 1440 px. */}
        <div className="rv-barline">
        <div
          className="rv-bar"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={c.total}
          aria-valuenow={c.reviewed}
          title={`${c.reviewed} of ${c.total} reviewed`}
        >
          <span className="rv-seg rv-seg-accept" style={{ width: seg(c.accept) }} />
          <span className="rv-seg rv-seg-reject" style={{ width: seg(c.reject) }} />
          <span className="rv-seg rv-seg-positive" style={{ width: seg(c.positive) }} />
        </div>
          <span className="rv-pace" title="Median time per decision (yours, this run)">
            {Number.isNaN(med) ? '–' : `${(med / 1000).toFixed(1)} s`}/decision
          </span>
        </div>
        <div className="rv-counts" data-testid="review-counts">
          {partial ? (
            <span>Loading the whole run…</span>
          ) : (
            <span>
              <b data-testid="count-reviewed">{c.reviewed}</b>/{c.total} reviewed ({pct.toFixed(1)}%)
            </span>
          )}
          <span className="rv-c-accept">
            <b data-testid="count-accept">{c.accept}</b> accepted
          </span>
          <span className="rv-c-reject">
            <b data-testid="count-reject">{c.reject}</b> rejected
          </span>
          <span className="rv-c-positive">
            <b data-testid="count-positive">{c.positive}</b> promoted
          </span>
          {c.skip > 0 && <span>{c.skip} skipped</span>}
        </div>
      </div>
      <div className="rv-tools">
        <label className="rv-field" title="Stored with each decision; remembered in this browser">
          Reviewer
          <input
            value={name}
            size={10}
            aria-label="Reviewer name"
            onChange={(e) => setName(e.target.value)}
            onBlur={() => setReviewer(name)}
            onKeyDown={(e) => {
              // Enter that confirms an IME conversion (a Japanese name) is not "done"
              if (e.key === 'Enter' && !isImeKey(e.nativeEvent)) {
                setReviewer(name);
                (e.target as HTMLInputElement).blur();
              }
            }}
          />
        </label>
        <label className="rv-field" title="Show candidates other reviewers already decided, to measure agreement">
          <input type="checkbox" checked={overlap} onChange={(e) => setOverlap(e.target.checked)} /> Overlap
        </label>
        <label className="rv-field">
          Order
          <select value={order} onChange={(e) => setOrder(e.target.value as QueueOrder)} aria-label="Order">
            <option value="query">by query</option>
            <option value="uncertainty">most uncertain first</option>
            <option value="audit">audit: uniform random sample</option>
          </select>
        </label>
        <button type="button" onClick={() => run('guidelines')}>
          Guidelines <ActionKey name="guidelines" />
        </button>
        <button type="button" onClick={() => run('conflicts')}>
          Agreement <ActionKey name="conflicts" />
        </button>
        <button type="button" onClick={() => run('compare')}>
          Compare <ActionKey name="compare" />
        </button>
        <button type="button" onClick={() => run('help')} aria-label="Keyboard shortcuts">
          <ActionKey name="help" />
        </button>
      </div>
    </header>
  );
});
