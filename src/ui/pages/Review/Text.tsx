// Document text with query terms highlighted, and the active candidate beside the positive
// with shared and new words marked. Imported text is rendered as React text nodes only.
import { memo, type ReactNode } from 'react';
import { highlightSpans, type QueryTerms } from '../../../core/review/highlight';
import type { OverlapSpan, WordOverlap } from '../../../core/review/overlap';

function marked(text: string, terms: QueryTerms, keyBase: string): ReactNode[] {
  return highlightSpans(text, terms).map((s, i) => (s.hit ? <mark key={`${keyBase}-${i}`}>{s.text}</mark> : s.text));
}

export const Highlighted = memo(function Highlighted({ text, terms }: { text: string; terms: QueryTerms }) {
  return <>{marked(text, terms, 'h')}</>;
});

function Spans({ spans, terms }: { spans: OverlapSpan[]; terms: QueryTerms }) {
  return (
    <>
      {spans.map((s, i) =>
        s.mark ? (
          <span key={i} className={`rv-w-${s.mark}`} data-mark={s.mark}>
            {marked(s.text, terms, String(i))}
          </span>
        ) : (
          <span key={i}>{marked(s.text, terms, String(i))}</span>
        ),
      )}
    </>
  );
}

/**
 * The candidate's own text, in its order, with its words marked as shared with the positive
 * (dotted underline) or new (tinted, solid underline), and the positive beside it with the
 * words it shares marked the same way. Marks differ in shape as well as colour; the legend
 * under them names them.
 */
export const OverlapText = memo(function OverlapText({ overlap, terms, passage }: { overlap: WordOverlap; terms: QueryTerms; passage: boolean }) {
  const c = overlap.counts;
  return (
    <div className="rv-overlap" data-testid="word-overlap">
      <div className="rv-overlap-col">
        <div className="rv-overlap-label">Candidate</div>
        <p className="rv-text rv-cand-text" data-testid="overlap-candidate">
          <Spans spans={overlap.candidate} terms={terms} />
        </p>
      </div>
      <div className="rv-overlap-col rv-overlap-pos">
        <div className="rv-overlap-label">Positive{passage ? ' (best passage)' : ''}</div>
        <p className="rv-text" data-testid="overlap-positive">
          <Spans spans={overlap.positive} terms={terms} />
        </p>
      </div>
      <p className="rv-overlap-legend rv-small" data-testid="overlap-legend">
        <span className="rv-w-shared">shared</span> {c.shared} {c.shared === 1 ? 'word' : 'words'} in both · <span className="rv-w-new">new</span>{' '}
        {c.new} not in the positive · {c.missing} only in the positive · <mark>query</mark> term
      </p>
    </div>
  );
});
