// Panels over the workbench: keyboard help (generated from the action registry),
// guidelines (Markdown, editable), agreement + conflicts, run comparison.
import { useEffect, useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useReviewStore } from '../../../state/review';
import { reviewActions } from '../../actions/review';
import { agreement, reviewers as reviewerNames } from '../../../core/review/agreement';
import { compareRuns, type RunComparison } from '../../../core/review/compare';
import { isTodo, pairKey } from '../../../core/review/queue';
import { setGuidelines } from '../../../db/projects';
import { runPairs } from '../../../db/candidates';
import type { DecisionLabel } from '../../../core/types';
import type { ReviewModel } from './useReview';
import { Keys } from './KeyHint';
import { Markdown } from './Markdown';
import { useDialog } from '../../components/useDialog';

function Panel({ title, children, wide }: { title: string; children: React.ReactNode; wide?: boolean }) {
  const close = useReviewStore((s) => s.setOverlay);
  const dialog = useDialog<HTMLDivElement>(() => close(null));
  return (
    <div className="rv-overlay" role="presentation" onClick={() => close(null)}>
      <div ref={dialog} tabIndex={-1} className={`rv-panel${wide ? ' rv-panel-wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} onClick={(e) => e.stopPropagation()}>
        <header className="rv-panel-head">
          <h2>{title}</h2>
          <button type="button" onClick={() => close(null)}>
            Close <Keys binding="escape" />
          </button>
        </header>
        <div className="rv-panel-body">{children}</div>
      </div>
    </div>
  );
}

export function HelpOverlay() {
  const groups = useMemo(() => {
    const g = new Map<string, typeof reviewActions>();
    for (const a of reviewActions) g.set(a.group, [...(g.get(a.group) ?? []), a]);
    return [...g];
  }, []);
  return (
    <Panel title="Keyboard shortcuts">
      <div className="rv-help" data-testid="help">
        {groups.map(([group, actions]) => (
          <section key={group}>
            <h3>{group}</h3>
            <table>
              <tbody>
                {actions.map((a) => (
                  <tr key={a.name}>
                    <td className="rv-help-keys">
                      {a.keys.map((k, i) => (
                        <span key={k}>
                          {i > 0 && <span className="rv-muted"> or </span>}
                          <Keys binding={k} />
                        </span>
                      ))}
                    </td>
                    <td>{a.label}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
      <p className="rv-muted rv-small">
        Every decision is saved to this browser's database before the cursor moves. Undo and redo are unlimited within this session.
      </p>
    </Panel>
  );
}

function GuidelinesOverlay({ m }: { m: ReviewModel }) {
  const text = m.project?.guidelines ?? '';
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(text);
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <Panel title="Review guidelines">
      {editing ? (
        <div className="rv-guidelines-edit">
          <textarea value={draft} onChange={(e) => setDraft(e.target.value)} rows={16} aria-label="Guidelines (Markdown)" autoFocus />
          <div className="rv-row">
            <button
              type="button"
              className="rv-primary"
              onClick={async () => {
                if (!m.project) return;
                await setGuidelines(m.db, m.project.id, draft);
                setSaved('Saved.');
                setEditing(false);
              }}
            >
              Save
            </button>
            <button type="button" onClick={() => (setDraft(text), setEditing(false))}>
              Cancel
            </button>
            <span className="rv-muted rv-small">Markdown: # headings, **bold**, *italic*, `code`, - lists, [links](https://…)</span>
          </div>
        </div>
      ) : (
        <>
          {text.trim() ? <Markdown source={text} /> : <p className="rv-muted">No guidelines yet for this project.</p>}
          <div className="rv-row">
            <button type="button" onClick={() => (setDraft(text), setEditing(true))}>
              Edit
            </button>
            {saved && <span className="rv-muted">{saved}</span>}
          </div>
        </>
      )}
    </Panel>
  );
}

const LABELS: DecisionLabel[] = ['accept', 'reject', 'positive'];
const LABEL_TEXT: Record<DecisionLabel, string> = { accept: 'negative', reject: 'reject', positive: 'positive', skip: 'skip' };

function ConflictsOverlay({ m }: { m: ReviewModel }) {
  const me = useReviewStore((s) => s.reviewer);
  const names = reviewerNames(m.index.all).filter((r) => r !== me);
  const [other, setOther] = useState(names[0] ?? '');
  useEffect(() => {
    if (!other && names[0]) setOther(names[0]);
  }, [names, other]);
  const ag = useMemo(() => agreement(m.index.all, me, other), [m.index.all, me, other]);
  const texts = m.queryText;
  return (
    <Panel title="Agreement and conflicts" wide>
      <div className="rv-row">
        <span>
          <b>{me}</b> vs
        </span>
        <select value={other} onChange={(e) => setOther(e.target.value)} aria-label="Other reviewer">
          {names.length === 0 && <option value="">(no other reviewer yet)</option>}
          {names.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
        <span data-testid="kappa">
          Cohen's κ <b>{Number.isNaN(ag.kappa) ? '–' : ag.kappa.toFixed(3)}</b> over {ag.n} pairs both reviewed · raw agreement{' '}
          {Number.isNaN(ag.observed) ? '–' : `${(100 * ag.observed).toFixed(1)}%`}
        </span>
      </div>
      <p className="rv-muted rv-small">Turn on Overlap in the top bar so both reviewers see the same candidates.</p>
      {ag.conflicts.length === 0 ? (
        <p className="rv-muted">No conflicts.</p>
      ) : (
        <table className="rv-conflicts" data-testid="conflicts">
          <thead>
            <tr>
              <th>Query</th>
              <th>Document</th>
              <th>{me}</th>
              <th>{other}</th>
              <th>Resolve as</th>
            </tr>
          </thead>
          <tbody>
            {ag.conflicts.map((c) => (
              <tr key={pairKey(c.queryId, c.docId)}>
                <td>{texts.get(c.queryId) ?? c.queryId}</td>
                <td>{c.docId}</td>
                <td>
                  <span className={`rv-badge rv-lab-${c.a}`}>{LABEL_TEXT[c.a]}</span>
                </td>
                <td>
                  <span className={`rv-badge rv-lab-${c.b}`}>{LABEL_TEXT[c.b]}</span>
                </td>
                <td className="rv-resolve">
                  {LABELS.map((l) => (
                    <button key={l} type="button" onClick={() => m.resolve(c.queryId, c.docId, l, [me, other])}>
                      {LABEL_TEXT[l]}
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

function CompareOverlay({ m }: { m: ReviewModel }) {
  const runs = useLiveQuery(() => m.db.runs.where('projectId').equals(m.run?.projectId ?? '').toArray(), [m.run?.projectId]);
  const others = (runs ?? []).filter((r) => r.id !== m.run?.id).sort((a, b) => b.createdAt - a.createdAt);
  const [otherId, setOtherId] = useState('');
  const [high, setHigh] = useState(10);
  const [result, setResult] = useState<RunComparison | null>(null);
  const chosen = otherId || others[0]?.id || '';
  useEffect(() => {
    if (!chosen) return;
    let live = true;
    void runPairs(m.db, [chosen]).then((pairs) => {
      if (!live) return;
      const anyLabel = (q: string, d: string) => {
        const k = pairKey(q, d);
        const mine = m.index.mine.get(k)?.label;
        return mine && !isTodo(mine) ? mine : m.index.others.get(k)?.find((x) => !isTodo(x.label))?.label;
      };
      setResult(compareRuns(pairs.map(([queryId, docId]) => ({ queryId, docId })), m.candidates, anyLabel, high));
    });
    return () => {
      live = false;
    };
  }, [chosen, high, m.db, m.candidates, m.index]);
  return (
    <Panel title="Compare runs">
      {others.length === 0 ? (
        <p className="rv-muted">This project has no other run to compare with.</p>
      ) : (
        <>
          <div className="rv-row">
            <label>
              Earlier run{' '}
              <select value={chosen} onChange={(e) => setOtherId(e.target.value)}>
                {others.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} ({new Date(r.createdAt).toLocaleDateString()})
                  </option>
                ))}
              </select>
            </label>
            <label>
              "High" means rank ≤ <input type="number" min={1} value={high} onChange={(e) => setHigh(Math.max(1, Number(e.target.value) || 1))} style={{ width: '4em' }} />
            </label>
          </div>
          {result && (
            <dl className="rv-compare" data-testid="compare">
              <dt>Candidates in this run</dt>
              <dd>{result.total}</dd>
              <dt>New (not in the earlier run)</dt>
              <dd>{result.newCandidates}</dd>
              <dt>Kept from the earlier run</dt>
              <dd>{result.kept}</dd>
              <dt>Dropped since</dt>
              <dd>{result.dropped}</dd>
              <dt>Earlier rejections still ranked ≤ {high}</dt>
              <dd>{result.rejectedStillHigh}</dd>
              <dt>Pairs promoted to positive still proposed</dt>
              <dd>{result.positivesStillProposed}</dd>
            </dl>
          )}
        </>
      )}
    </Panel>
  );
}

export function Overlays({ m }: { m: ReviewModel; run: (name: string) => void }) {
  const overlay = useReviewStore((s) => s.overlay);
  switch (overlay) {
    case 'help':
      return <HelpOverlay />;
    case 'guidelines':
      return <GuidelinesOverlay m={m} />;
    case 'conflicts':
      return <ConflictsOverlay m={m} />;
    case 'compare':
      return <CompareOverlay m={m} />;
    default:
      return null;
  }
}
