// The current query and its positive(s). A long positive shows its best passage (the
// window with the most query terms) until expanded; expanded, the passage stays marked.
import { useReviewStore } from '../../../state/review';
import { bestPassage, type QueryTerms } from '../../../core/review/highlight';
import { docText } from '../../../core/types';
import type { DocumentRecord } from '../../../db/schema';
import type { ReviewModel } from './useReview';
import { Highlighted } from './Text';
import { ActionKey } from './KeyHint';

const LONG = 600; // characters: above this a positive is shown as its best passage

function Positive({ doc, terms, open, source }: { doc: DocumentRecord; terms: QueryTerms; open: boolean; source: string }) {
  const text = doc.text;
  const long = text.length > LONG;
  const p = long ? bestPassage(text, terms, 60) : null;
  return (
    <article className="rv-positive" data-testid="positive" data-doc={doc.id}>
      <header>
        <span className="rv-badge rv-badge-pos">positive</span>
        <b>{doc.title || doc.id}</b> {source === 'review' && <span className="rv-badge">promoted in review</span>}
        <span className="rv-muted"> {doc.id}</span>
      </header>
      {!long ? (
        <p className="rv-text">
          <Highlighted text={text} terms={terms} />
        </p>
      ) : open ? (
        <p className="rv-text rv-long">
          <Highlighted text={text.slice(0, p!.start)} terms={terms} />
          <span className="rv-best" title="Best passage (most query terms)">
            <Highlighted text={text.slice(p!.start, p!.end)} terms={terms} />
          </span>
          <Highlighted text={text.slice(p!.end)} terms={terms} />
        </p>
      ) : (
        <p className="rv-text">
          {p!.start > 0 && '… '}
          <span className="rv-best" title="Best passage (most query terms)">
            <Highlighted text={text.slice(p!.start, p!.end)} terms={terms} />
          </span>
          {p!.end < text.length && ' …'}
        </p>
      )}
      {long && (
        <span className="rv-muted rv-small">
          {open ? 'Full text' : `Best passage of ${text.length.toLocaleString()} characters`} · <ActionKey name="positive" /> to {open ? 'collapse' : 'expand'}
        </span>
      )}
    </article>
  );
}

export function QueryPanel({ m, queryText, terms, position }: { m: ReviewModel; queryText: string; terms: QueryTerms; position: string }) {
  const open = useReviewStore((s) => s.positiveOpen);
  const positives = m.bundle?.positives ?? [];
  return (
    <section className="rv-query" aria-label="Query">
      <div className="rv-query-head">
        <span className="rv-muted">{position}</span>
        <span className="rv-muted"> · {m.current?.queryId}</span>
      </div>
      <h2 className="rv-query-text" data-testid="query-text">
        {queryText || <span className="rv-muted">(query text missing)</span>}
      </h2>
      <div className="rv-positives">
        {m.bundle === undefined ? (
          <p className="rv-muted">…</p>
        ) : positives.length === 0 ? (
          <p className="rv-muted">No positive for this query in the project's qrels.</p>
        ) : (
          positives.map((q) => {
            const d = m.bundle!.docs.get(q.docId);
            return d ? (
              <Positive key={q.docId} doc={d} terms={terms} open={open} source={q.source} />
            ) : (
              <p key={q.docId} className="rv-muted">
                Positive {q.docId} is not in the corpus.
              </p>
            );
          })
        )}
      </div>
    </section>
  );
}

/** The text a candidate is compared on: its winning chunk for long documents, else the document. */
export function candidateText(doc: DocumentRecord | undefined, chunk?: { text: string }): string {
  if (chunk) return chunk.text;
  return doc ? docText({ title: '', text: doc.text }) : '';
}
