// Document text with query terms highlighted, optionally as a word diff against the
// positive. Imported text is rendered as React text nodes only.
import { memo, type ReactNode } from 'react';
import { highlightSpans, type QueryTerms } from '../../../core/review/highlight';
import type { DiffOp } from '../../../core/review/diff';

function marked(text: string, terms: QueryTerms, keyBase: string): ReactNode[] {
  return highlightSpans(text, terms).map((s, i) => (s.hit ? <mark key={`${keyBase}-${i}`}>{s.text}</mark> : s.text));
}

export const Highlighted = memo(function Highlighted({ text, terms }: { text: string; terms: QueryTerms }) {
  return <>{marked(text, terms, 'h')}</>;
});

/** The candidate as a diff against the positive: added words tinted, missing words struck. */
export const DiffText = memo(function DiffText({ ops, terms }: { ops: DiffOp[]; terms: QueryTerms }) {
  return (
    <>
      {ops.map((op, i) =>
        op.type === 'same' ? (
          <span key={i}>{marked(op.text, terms, String(i))}</span>
        ) : op.type === 'add' ? (
          <ins key={i} title="not in the positive">
            {marked(op.text, terms, String(i))}
          </ins>
        ) : (
          <del key={i} title="in the positive, missing here">
            {op.text}
          </del>
        ),
      )}
    </>
  );
});
