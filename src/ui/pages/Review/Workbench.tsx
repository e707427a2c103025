// The review screen: top bar (progress, reviewer, modes), filters, the current query
// with its positives and candidate list, overlays, and the key-hint bar.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { createReviewActionManager } from '../../actions/review';
import { isTypingTarget } from '../../actions/manager';
import { isImeKey } from '../../actions/keys';
import { guidelinesSeen, markGuidelinesSeen, useReviewStore } from '../../../state/review';
import { queryTerms } from '../../../core/review/highlight';
import { reviewTokenizer } from '../../../core/review/tokens';
import { useReview } from './useReview';
import { TopBar } from './TopBar';
import { Filters } from './Filters';
import { QueryPanel } from './QueryPanel';
import { CandidateList } from './CandidateList';
import { Overlays } from './Overlays';
import { KeyHintBar } from './KeyHint';
import { ScoresPending } from './ScoresPending';
import { navigate, projectPath } from '../../shell/router';
import { plural } from '../../components/format';
import type { RunRecord } from '../../../db/schema';

/**
 * "Query 3 of 289", and why the split has more queries than that: the run mined every query
 * with qrels in the split, but some got no candidate (no positive in the corpus, or nothing
 * passed the selection rule).
 */
export function queryPosition(pos: number, count: number, run: Pick<RunRecord, 'stages' | 'config'> | null | undefined): string {
  const split = run?.stages.select?.total ?? 0;
  const base = `Query ${pos} of ${count}`;
  const without = split - count;
  return without > 0 ? `${base} (${plural(without, 'query', 'queries')} of split “${run!.config.split}” got no candidates: no positive in the corpus, or none passed the selection)` : base;
}

export function Workbench({ projectId, runId, queryId }: { projectId: string; runId: string; queryId?: string }) {
  const m = useReview(projectId, runId, queryId);
  // The current query is in the URL (a reviewer can send a link to it); replace, so Back
  // leaves Review instead of stepping through every query.
  const currentQuery = m.current?.queryId;
  useEffect(() => {
    if (currentQuery && currentQuery !== queryId) navigate(projectPath(projectId, 'review', runId, currentQuery), { replace: true });
  }, [currentQuery, queryId, projectId, runId]);
  const manager = useMemo(() => createReviewActionManager(), []);
  const reviewer = useReviewStore((s) => s.reviewer);
  const overlay = useReviewStore((s) => s.overlay);
  const setOverlay = useReviewStore((s) => s.setOverlay);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isImeKey(e)) return;
      if (isTypingTarget(e.target) && e.key !== 'Escape') return;
      if (manager.handleKey(e, m.getCtx, (err) => m.setError(err instanceof Error ? err.message : String(err)))) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [manager, m.getCtx, m.setError]);

  // Guidelines open by themselves the first time a reviewer opens this project's review.
  useEffect(() => {
    if (m.project && !guidelinesSeen(projectId, reviewer)) {
      markGuidelinesSeen(projectId, reviewer);
      setOverlay('guidelines');
    }
  }, [m.project, projectId, reviewer, setOverlay]);

  // The workbench fills the window below whatever the shell puts above it, so the
  // candidate list (not the page) scrolls and the key hints stay on screen. Measured when
  // the window or anything above the page changes size, not after every render: reading
  // the layout after each key press forced a layout of the whole page before its paint.
  const pageRef = useRef<HTMLElement>(null);
  const mounted = m.run !== undefined && m.project !== undefined;
  useLayoutEffect(() => {
    const el = pageRef.current;
    if (!el) return;
    const fit = () => el.style.setProperty('--rv-top', `${Math.max(0, el.getBoundingClientRect().top + window.scrollY)}px`);
    fit();
    window.addEventListener('resize', fit);
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(fit);
    for (let node: Element | null = el; node && node !== document.documentElement; node = node.parentElement) {
      if (node !== el) ro?.observe(node);
      for (let sib = node.previousElementSibling; sib; sib = sib.previousElementSibling) ro?.observe(sib);
    }
    return () => {
      window.removeEventListener('resize', fit);
      ro?.disconnect();
    };
  }, [mounted]);

  const queryText = m.current ? (m.queryText.get(m.current.queryId) ?? '') : '';
  // Highlights and the diff cut text as the run's BM25 did (words of Japanese, Thai…).
  const { run: runRecord, bundle } = m;
  const kind = useMemo(
    () =>
      reviewTokenizer(runRecord?.config.members.map((x) => x.spec) ?? [], () => [
        queryText,
        ...(bundle?.positives ?? []).map((p) => bundle?.docs.get(p.docId)?.text ?? ''),
      ]),
    [runRecord, bundle, queryText],
  );
  const terms = useMemo(() => queryTerms(queryText, kind), [queryText, kind]);
  const { getCtx, setError } = m;
  const run = useCallback(
    (name: string) => {
      manager.run(name, getCtx).catch((err) => setError(err instanceof Error ? err.message : String(err)));
    },
    [manager, getCtx, setError],
  );

  if (m.run === undefined || m.project === undefined) {
    return (
      <section data-page="review" className="rv-empty">
        <h2>Run not found</h2>
        <p>
          There is no run <code>{runId}</code> in this project. <a href={`#/p/${encodeURIComponent(projectId)}/review`}>Pick a run</a>.
        </p>
      </section>
    );
  }
  const queryCount = m.queryOrdinal.size;
  const queryPos = m.current ? (m.queryOrdinal.get(m.current.queryId) ?? 0) : 0;
  return (
    <section data-page="review" className="rv-page" aria-busy={m.loading} ref={pageRef}>
      <TopBar counts={m.counts} partial={m.partial} projectId={projectId} runName={m.run?.name} run={run} />
      <div className="rv-body">
        <Filters partial={m.partial} queueSize={m.queue.length} candidates={m.candidates.length} depth={m.run?.config.depth ?? 100} />
        <div className="rv-main">
          {m.error && (
            <div role="alert" className="rv-error" data-testid="review-error">
              Could not save: {m.error}.
            </div>
          )}
          {m.readError && (
            <div role="alert" className="rv-error" data-testid="review-read-error">
              Could not follow the decisions: {m.readError}.
            </div>
          )}
          {m.conflict && (
            <div role="alert" className="rv-error" data-testid="review-conflict">
              {m.conflict}
            </div>
          )}
          {m.run && <ScoresPending run={m.run} currentScored={m.current ? m.current.ce !== undefined : undefined} />}
          {m.loading ? (
            <p className="rv-muted">Loading run…</p>
          ) : !m.current ? (
            <div className="rv-done">
              {m.candidates.length === 0 ? (
                <p>This run has no candidates yet.</p>
              ) : (
                <p>No candidate matches the filters.</p>
              )}
            </div>
          ) : (
            <>
              <QueryPanel
                m={m}
                queryText={queryText}
                terms={terms}
                position={queryPosition(queryPos, queryCount, m.run)}
              />
              <CandidateList m={m} terms={terms} run={run} />
            </>
          )}
        </div>
      </div>
      <KeyHintBar names={['accept', 'reject', 'promote', 'skip', 'acceptAll', 'rejectFlagged', 'undo', 'next', 'prev', 'guidelines', 'help']} />
      <div className="sr-only" role="status" aria-live="polite" data-testid="review-announcer">
        {m.announcement}
      </div>
      {overlay && <Overlays m={m} run={run} />}
    </section>
  );
}
