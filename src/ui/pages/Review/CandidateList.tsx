// The candidates of the current query, virtualised (@tanstack/react-virtual). The row
// under the cursor is expanded: its text beside the positive (shared and new words), buttons.
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { wordOverlap } from '../../../core/review/overlap';
import { bestPassage, type QueryTerms } from '../../../core/review/highlight';
import { memberSpread, pairKey, uncertainty } from '../../../core/review/queue';
import type { CandidateRecord, DecisionRecord, DocumentRecord } from '../../../db/schema';
import type { DecisionLabel } from '../../../core/types';
import type { ReviewModel } from './useReview';
import { Highlighted, OverlapText } from './Text';
import { ActionKey } from './KeyHint';
import { candidateText } from './QueryPanel';

const FLAG_LABEL: Record<string, string> = {
  'suspected-false-negative': 'suspected false negative',
  'near-duplicate': 'near-duplicate',
  random: 'random',
  'duplicate-of-positive': 'duplicate of positive',
};
const LABEL_TEXT: Record<DecisionLabel, string> = { accept: 'negative', reject: 'rejected', positive: 'positive', skip: 'skipped' };
/** A positive longer than this (characters) is shown beside the candidate as its best passage. */
const POSITIVE_WHOLE = 2000;
/** Words of that passage. */
const PASSAGE_WORDS = 150;

/** The positive the active candidate is compared with: its text, and the window of it shown. */
export interface ComparedPositive {
  text: string;
  window: { start: number; end: number };
}

function fmt(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits);
}

interface RowProps {
  c: CandidateRecord;
  doc: DocumentRecord | undefined;
  active: boolean;
  mine: DecisionLabel | undefined;
  others: DecisionRecord[] | undefined;
  terms: QueryTerms;
  positive: ComparedPositive | null;
  depth: number;
  /** The row's place in the query's block (what onPick gets). */
  index: number;
  onPick(index: number): void;
  run(name: string): void;
}

const Row = memo(function Row({ c, doc, active, mine, others, terms, positive, depth, index, onPick, run }: RowProps) {
  const text = candidateText(doc, c.chunk);
  const kind = terms.kind ?? 'latin';
  // Linear in both texts (word sets), so whole documents are compared on every cursor move.
  const overlap = useMemo(
    () => (active && positive?.text ? wordOverlap(positive.text, text, kind, positive.window) : null),
    [active, positive, text, kind],
  );
  const spread = memberSpread(c.members, depth);
  return (
    <article
      className={`rv-cand${active ? ' rv-active' : ''}${mine ? ` rv-is-${mine}` : ''}`}
      data-testid="candidate"
      data-doc={c.docId}
      data-active={active || undefined}
      data-label={mine ?? ''}
      aria-current={active || undefined}
      onClick={() => onPick(index)}
    >
      <header className="rv-cand-head">
        <span className="rv-rank" title="Fused rank">
          #{c.rank}
        </span>
        <b className="rv-cand-title">{doc?.title || c.docId}</b>
        <span className="rv-muted rv-small">{c.docId}</span>
        {c.flags.map((f) => (
          <span key={f} className={`rv-badge rv-flag-${f}`}>
            {FLAG_LABEL[f] ?? f}
          </span>
        ))}
        {c.chunk && <span className="rv-badge">chunk {c.chunk.idx}</span>}
        <span className="rv-spacer" />
        {others?.map((o) => (
          <span key={o.reviewer} className={`rv-badge rv-other rv-lab-${o.label}`} title={`${o.reviewer}: ${o.label}`}>
            {o.reviewer}: {LABEL_TEXT[o.label]}
          </span>
        ))}
        {mine && (
          <span className={`rv-badge rv-decision rv-lab-${mine}`} data-testid="decision">
            {LABEL_TEXT[mine]}
          </span>
        )}
      </header>
      <div className="rv-scores">
        <span title="Fused score">
          fused <b>{fmt(c.fused)}</b>
        </span>
        {Object.entries(c.members).map(([name, s]) => (
          <span key={name} title={`${name}: rank ${s.rank ?? 'not retrieved'}, score ${fmt(s.score)}`}>
            {name} <b>{s.rank === null ? '—' : `#${s.rank}`}</b> <span className="rv-muted">{fmt(s.score)}</span>
          </span>
        ))}
        {c.ce !== undefined && (
          <span title={`Cross-encoder: candidate ${fmt(c.ce, 2)} vs positive ${fmt(c.cePositive, 2)}`}>
            CE <b>{fmt(c.ce, 2)}</b>
            {c.cePositive !== undefined && <span className="rv-muted"> / pos {fmt(c.cePositive, 2)}</span>}
          </span>
        )}
        {spread > 0 && (
          <span className={spread >= depth / 2 ? 'rv-warn' : 'rv-muted'} title="Member rank spread">
            spread {spread}
          </span>
        )}
        {active && c.ce !== undefined && c.cePositive !== undefined && <span className="rv-muted">gap {fmt(uncertainty(c), 2)}</span>}
      </div>
      {active ? (
        <>
          {overlap && positive ? (
            <OverlapText overlap={overlap} terms={terms} passage={positive.window.end - positive.window.start < positive.text.length} />
          ) : (
            <p className="rv-text rv-cand-text">
              <Highlighted text={text} terms={terms} />
            </p>
          )}
          <div className="rv-actions" role="group" aria-label="Decide">
            <button type="button" className="rv-btn-accept" onClick={(e) => (e.stopPropagation(), run('accept'))}>
              Accept negative <ActionKey name="accept" />
            </button>
            <button type="button" className="rv-btn-reject" onClick={(e) => (e.stopPropagation(), run('reject'))}>
              Reject <ActionKey name="reject" />
            </button>
            <button type="button" className="rv-btn-positive" onClick={(e) => (e.stopPropagation(), run('promote'))}>
              Promote to positive <ActionKey name="promote" />
            </button>
            <button type="button" onClick={(e) => (e.stopPropagation(), run('skip'))}>
              Skip <ActionKey name="skip" />
            </button>
          </div>
        </>
      ) : (
        <p className="rv-text rv-clamp">
          <Highlighted text={text.length > 400 ? text.slice(0, 400) + '…' : text} terms={terms} />
        </p>
      )}
    </article>
  );
});

export function CandidateList({ m, terms, run }: { m: ReviewModel; terms: QueryTerms; run: (name: string) => void }) {
  const [s, e] = m.block;
  const rows = useMemo(() => m.queue.slice(s, e), [m.queue, s, e]);
  const activeRow = m.idx - s;
  // Stable props, so the rows (memo) that did not change are not rendered again on a key press.
  const { setCursorTo } = m;
  const pick = useCallback((i: number) => setCursorTo(s + i), [setCursorTo, s]);
  const parentRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => 110,
    overscan: 4,
    getItemKey: (i) => pairKey(rows[i].queryId, rows[i].docId),
  });
  useEffect(() => {
    if (activeRow >= 0 && activeRow < rows.length) v.scrollToIndex(activeRow, { align: 'auto' });
  }, [activeRow, rows, v]);

  // The positive the active candidate is compared with: the qrels' own (not one promoted in
  // review), shown whole or, when long, as its best passage.
  const pos = m.bundle?.positives.find((p) => p.source !== 'review') ?? m.bundle?.positives[0];
  const posDoc = pos ? m.bundle?.docs.get(pos.docId) : undefined;
  const positive = useMemo((): ComparedPositive | null => {
    if (!posDoc?.text) return null;
    const text = posDoc.text;
    if (text.length <= POSITIVE_WHOLE) return { text, window: { start: 0, end: text.length } };
    const p = bestPassage(text, terms, PASSAGE_WORDS);
    return { text, window: { start: p.start, end: p.end } };
  }, [posDoc, terms]);
  const depth = m.run?.config.depth ?? 100;

  return (
    <div className="rv-list" ref={parentRef} aria-label="Candidates" data-testid="candidate-list">
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {v.getVirtualItems().map((vi) => {
          const c = rows[vi.index];
          const k = pairKey(c.queryId, c.docId);
          return (
            <div key={vi.key} data-index={vi.index} ref={v.measureElement} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${vi.start}px)` }}>
              <Row
                c={c}
                doc={m.bundle?.docs.get(c.docId)}
                active={vi.index === activeRow}
                mine={m.myLabel(c.queryId, c.docId)}
                others={m.index.others.get(k)}
                terms={terms}
                positive={positive}
                depth={depth}
                index={vi.index}
                onPick={pick}
                run={run}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
