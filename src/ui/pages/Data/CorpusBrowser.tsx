// Documents and queries of a project: searchable virtualised lists and a detail pane
// (a document with the queries that judge it; a query with its judged positives).
// All imported text is rendered as React text children, never as HTML.
import { useCallback, useState } from 'react';
import { fmtInt } from '../../components/format';
import { useAsync, useDebounced } from '../../components/useAsync';
import { VirtualList } from '../../components/VirtualList';
import { getDB } from '../../../db/db';
import { getDocuments, getQueries, judgementsOf, queriesJudging, searchDocuments, searchQueries } from '../../../db/corpus';
import type { DocumentRecord, QueryRecord } from '../../../db/schema';

type Tab = 'documents' | 'queries';

export function CorpusBrowser(props: { projectId: string; version: string; counts?: { documents: number; queries: number } }) {
  const { projectId, version } = props;
  const [tab, setTab] = useState<Tab>('documents');
  const [term, setTerm] = useState('');
  const [selected, setSelected] = useState<{ kind: Tab; id: string }>();
  const search = useDebounced(term, 200);
  const ids = useAsync(
    () => (tab === 'documents' ? searchDocuments(getDB(), projectId, search) : searchQueries(getDB(), projectId, search)),
    [projectId, tab, search, version],
  );
  const loadDocs = useCallback((list: string[]) => getDocuments(getDB(), projectId, list), [projectId, version]);
  const loadQueries = useCallback((list: string[]) => getQueries(getDB(), projectId, list), [projectId, version]);
  const list = ids.value ?? [];
  const total = tab === 'documents' ? props.counts?.documents : props.counts?.queries;

  return (
    <div className="browser">
      <div className="browser-list card">
        <div className="row">
          <div className="seg" role="tablist">
            {(['documents', 'queries'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'active' : ''} onClick={() => setTab(t)}>
                {t === 'documents' ? 'Documents' : 'Queries'}
              </button>
            ))}
          </div>
          <input
            type="search"
            className="grow"
            aria-label={`Search ${tab}`}
            placeholder={`Search ${tab} by id, ${tab === 'documents' ? 'title, ' : ''}text…`}
            value={term}
            onChange={(e) => setTerm(e.target.value)}
          />
        </div>
        <div className="muted small list-count" data-testid="list-count">
          {ids.loading ? 'Searching…' : search.trim() ? `${fmtInt(list.length)}${list.length >= 5000 ? '+' : ''} matching` : `${fmtInt(list.length)} ${tab}`}
          {search.trim() && total !== undefined ? ` of ${fmtInt(total)}` : ''}
        </div>
        {tab === 'documents' ? (
          <VirtualList<DocumentRecord>
            key="documents"
            ids={list}
            load={loadDocs}
            rowHeight={46}
            label="Documents"
            testId="doc-list"
            selected={selected?.kind === 'documents' ? selected.id : undefined}
            onSelect={(id) => setSelected({ kind: 'documents', id })}
            renderRow={(id, d) => (
              <div className="item">
                <div className="item-head">
                  <span className="item-title">{d?.title || id}</span>
                  {d?.title && d.title !== id && <span className="item-id mono">{id}</span>}
                </div>
                <div className="item-text">{d ? d.text.slice(0, ROW_CHARS) : '…'}</div>
              </div>
            )}
          />
        ) : (
          <VirtualList<QueryRecord>
            key="queries"
            ids={list}
            load={loadQueries}
            rowHeight={46}
            label="Queries"
            testId="query-list"
            selected={selected?.kind === 'queries' ? selected.id : undefined}
            onSelect={(id) => setSelected({ kind: 'queries', id })}
            renderRow={(id, q) => (
              <div className="item">
                <div className="item-head">
                  <span className="item-id mono">{id}</span>
                </div>
                <div className="item-text strong">{q ? q.text.slice(0, ROW_CHARS) : '…'}</div>
              </div>
            )}
          />
        )}
      </div>
      <div className="browser-detail card" data-testid="detail">
        {!selected && <p className="muted">Select a document or a query to see it in full.</p>}
        {selected?.kind === 'documents' && <DocumentDetail projectId={projectId} id={selected.id} version={version} onQuery={(id) => { setTab('queries'); setSelected({ kind: 'queries', id }); }} />}
        {selected?.kind === 'queries' && <QueryDetail projectId={projectId} id={selected.id} version={version} onDoc={(id) => { setTab('documents'); setSelected({ kind: 'documents', id }); }} />}
      </div>
    </div>
  );
}

function DocumentDetail(props: { projectId: string; id: string; version: string; onQuery: (id: string) => void }) {
  const data = useAsync(async () => {
    const db = getDB();
    const [doc] = await getDocuments(db, props.projectId, [props.id]);
    const judged = await queriesJudging(db, props.projectId, props.id);
    const queries = await getQueries(db, props.projectId, judged.map((j) => j.queryId));
    return { doc, judged: judged.map((j, i) => ({ qrel: j, query: queries[i] })) };
  }, [props.projectId, props.id, props.version]);
  const d = data.value?.doc;
  if (!data.value) return null;
  if (!d) return <p className="muted">Document {props.id} is not in this project.</p>;
  return (
    <article data-testid="doc-detail">
      <div className="detail-kind">Document <span className="mono">{d.id}</span></div>
      <h3 className="detail-title">{d.title || <span className="muted">(no title)</span>}</h3>
      <LongText text={d.text} />
      <h4>Relevant for {data.value.judged.length} quer{data.value.judged.length === 1 ? 'y' : 'ies'}</h4>
      <ul className="plain">
        {data.value.judged.map(({ qrel, query }) => (
          <li key={`${qrel.split}:${qrel.queryId}`}>
            <button type="button" className="link" onClick={() => props.onQuery(qrel.queryId)}>
              {query?.text ?? qrel.queryId}
            </button>{' '}
            <span className="muted small">
              {qrel.split} · score {qrel.score}
            </span>
          </li>
        ))}
      </ul>
    </article>
  );
}

function QueryDetail(props: { projectId: string; id: string; version: string; onDoc: (id: string) => void }) {
  const data = useAsync(async () => {
    const db = getDB();
    const [query] = await getQueries(db, props.projectId, [props.id]);
    return { query, judged: await judgementsOf(db, props.projectId, props.id) };
  }, [props.projectId, props.id, props.version]);
  if (!data.value) return null;
  const q = data.value.query;
  if (!q) return <p className="muted">Query {props.id} is not in this project.</p>;
  const positives = data.value.judged.filter((j) => j.qrel.score > 0);
  const others = data.value.judged.filter((j) => j.qrel.score <= 0);
  return (
    <article data-testid="query-detail">
      <div className="detail-kind">Query <span className="mono">{q.id}</span></div>
      <h3 className="detail-title">{q.text}</h3>
      <h4>
        {positives.length} positive{positives.length === 1 ? '' : 's'}
      </h4>
      {positives.length === 0 && <p className="muted">No judged positives: this query is skipped by mining and evaluation.</p>}
      {[...positives, ...others].map(({ qrel, doc }) => (
        <div key={`${qrel.split}:${qrel.docId}`} className={'positive' + (qrel.score > 0 ? '' : ' nonrel')} data-testid="positive">
          <div className="item-head">
            <button type="button" className="link item-title" onClick={() => props.onDoc(qrel.docId)}>
              {doc?.title || qrel.docId}
            </button>
            <span className="muted small">
              {qrel.split} · score {qrel.score}
              {qrel.source === 'review' ? ' · from review' : ''}
            </span>
          </div>
          <p className="detail-text">{doc ? doc.text : <span className="muted">(document {qrel.docId} is missing from the corpus)</span>}</p>
        </div>
      ))}
    </article>
  );
}

/** A list row shows one line: the start of the text is all it can show. */
const ROW_CHARS = 400;
/** Past this a document (a 20 MB line, a whole manual) is shown in part until asked: laying out megabytes of text freezes the tab. */
const DETAIL_CHARS = 100_000;

function LongText({ text }: { text: string }) {
  const [all, setAll] = useState(false);
  if (all || text.length <= DETAIL_CHARS) return <p className="detail-text">{text}</p>;
  return (
    <>
      <p className="detail-text">{text.slice(0, DETAIL_CHARS)}…</p>
      <p className="muted small" data-testid="long-text-note">
        Showing the first {fmtInt(DETAIL_CHARS)} of {fmtInt(text.length)} characters ({(text.length / (1024 * 1024)).toFixed(1)} MB).{' '}
        <button type="button" className="link" onClick={() => setAll(true)}>
          Show all
        </button>
      </p>
    </>
  );
}
