// The Review page's model: loads a run's candidates and the project's decisions
// (liveQuery, so a second tab sees every change), builds the queue, owns the cursor
// and performs decisions. Decisions are awaited on disk before the cursor moves.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import Dexie from 'dexie';
import { getDB } from '../../../db/db';
import type { CandidateRecord, DecisionRecord, DocumentRecord, ProjectRecord, QrelRecord, RunRecord } from '../../../db/schema';
import { announceDecisions } from './announce';
import { decide as writeDecisions, revert, UndoConflict, type Change, type DecisionInput } from '../../../db/decisions';
import { followDecisions } from '../../../db/decisionFeed';
import { LiveDecisionIndex, type DecisionIndex } from './decisionIndex';
import { PendingLabels } from './pendingLabels';
import { saveFailure } from './saveFailure';
import { hasInvisible, revealInvisible } from '../../../core/text/invisible';
import { docsById, positivesOf, runCandidatesPaged, runPairs, searchDocs } from '../../../db/candidates';
import { getQueries, qrelsOfQuery as readQrelsOfQuery } from '../../../db/corpus';
import { loadReviewModel } from '../../../db/learn';
import { auditSeedFor, buildQueue, isTodo, nextTodo, pairKey, queryBlock, type QueueContext } from '../../../core/review/queue';
import type { DecisionLabel } from '../../../core/types';
import { loadCursor, saveCursor, useReviewStore } from '../../../state/review';
import { RunTally } from '../../../core/review/tally';
import type { ReviewCtx } from '../../actions/review';

export interface QueryBundle {
  positives: QrelRecord[];
  docs: Map<string, DocumentRecord>;
}

export type { DecisionIndex } from './decisionIndex';

const NO_DECISIONS: DecisionIndex = new LiveDecisionIndex('').snapshot();

/** `linkedQuery`: the query the URL names; the review opens on it (else where the reviewer left off). */
export function useReview(projectId: string, runId: string, linkedQuery?: string) {
  const db = getDB();
  // Only the page load's link counts: later the URL follows the cursor, and another
  // reviewer starts where they left off.
  const linked = useRef(linkedQuery);
  const linkUsed = useRef(false);
  if (!linkUsed.current) linked.current = linkedQuery;
  const store = useReviewStore();
  const { reviewer, overlap, filters, order } = store;

  const run = useLiveQuery(() => db.runs.get(runId), [runId], null as RunRecord | undefined | null);
  const project = useLiveQuery(() => db.projects.get(projectId), [projectId], null as ProjectRecord | undefined | null);
  // A run of 100k+ candidates takes seconds to read. First the query the reviewer was on
  // (or the first one) comes from a single index lookup, so work can start; then the
  // whole run is read in pages (short transactions: decisions are never queued behind
  // one huge read) and read again whenever the run's candidate count changes (mining).
  const [quick, setQuick] = useState<CandidateRecord[] | undefined>();
  const [quickDone, setQuickDone] = useState(false);
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const saved = loadCursor(runId, useReviewStore.getState().reviewer);
        const qid = linked.current ?? saved?.queryId ?? (await db.candidates.where('[runId+queryId]').between([runId, Dexie.minKey], [runId, Dexie.maxKey]).first())?.queryId;
        const rows = qid ? await db.candidates.where('[runId+queryId]').equals([runId, qid]).toArray() : [];
        if (live && rows.length) setQuick(rows);
      } finally {
        if (live) setQuickDone(true);
      }
    })();
    return () => {
      live = false;
    };
  }, [db, runId]);
  const candidateCount = useLiveQuery(async () => (quickDone ? await db.candidates.where('runId').equals(runId).count() : undefined), [db, runId, quickDone]);
  // While the cross-encoder runs, stored candidates gain scores and flags batch by batch
  // (the count stays): read them again as each batch lands.
  const scoredQueries = run?.stages.rerank?.done ?? 0;
  const [fullCandidates, setFullCandidates] = useState<CandidateRecord[] | undefined>();
  useEffect(() => {
    if (candidateCount === undefined) return;
    let cancelled = false;
    void runCandidatesPaged(db, runId, 10_000, () => cancelled).then((rows) => {
      if (rows && !cancelled) setFullCandidates(rows);
    });
    return () => {
      cancelled = true;
    };
  }, [candidateCount, scoredQueries, db, runId]);
  const partial = fullCandidates === undefined;
  const candidates = fullCandidates ?? quick;
  useEffect(() => {
    if (fullCandidates) performance.mark('review:run-loaded');
  }, [fullCandidates]);
  // Every reviewer's decisions, read once and then followed change by change (this tab's
  // writes and other tabs'): a decision never makes the page read all decisions again.
  const liveIndex = useRef<LiveDecisionIndex | null>(null);
  const [decisionIndex, setDecisionIndex] = useState<DecisionIndex | undefined>();
  const [feedError, setFeedError] = useState<string | null>(null);
  // Pairs whose label may have changed since the counts were last taken (see RunTally), and
  // how many times the feed delivered the whole set (the counts then start over).
  const dirty = useRef(new Set<string>());
  const [feedResets, setFeedResets] = useState(0);
  useEffect(() => {
    const li = new LiveDecisionIndex(useReviewStore.getState().reviewer);
    liveIndex.current = li;
    setDecisionIndex(undefined);
    return followDecisions(
      db,
      projectId,
      (u) => {
        if (u.kind === 'reset') setFeedResets((v) => v + 1);
        else for (const p of u.pairs) dirty.current.add(pairKey(p.key[1], p.key[2]));
        if (li.apply(u)) setDecisionIndex(li.snapshot());
      },
      (err) => setFeedError(`${err instanceof Error ? err.message : String(err)}; reload the page`),
    );
  }, [db, projectId]);

  // Query texts of the run (bulk read once per candidate set).
  const [queryText, setQueryText] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (!candidates) return;
    const ids = [...new Set(candidates.map((c) => c.queryId))];
    let live = true;
    void getQueries(db, projectId, ids).then((rows) => {
      if (live) setQueryText(new Map(rows.filter((r) => r !== undefined).map((r) => [r.id, revealInvisible(r.text)])));
    });
    return () => {
      live = false;
    };
  }, [candidates, db, projectId]);

  // Switching reviewer re-splits "mine" and "others" (idempotent, from memory, no read).
  const index = useMemo(() => {
    if (!decisionIndex || !liveIndex.current) return NO_DECISIONS;
    liveIndex.current.setReviewer(reviewer);
    return liveIndex.current.snapshot();
  }, [decisionIndex, reviewer]);

  // Labels this tab wrote that liveQuery has not delivered yet (see PendingLabels): they
  // count at once, and give way as soon as the database shows them or a later write from
  // another tab. Keyed by reviewer + pair: switching reviewer must not show one person's
  // labels as another's.
  const pending = useRef(new PendingLabels());
  const [pendingVersion, setPendingVersion] = useState(0);
  useEffect(() => {
    for (const [k] of pending.current.of(reviewer)) dirty.current.add(k);
    if (pending.current.reconcile(reviewer, (k) => index.mine.get(k))) setPendingVersion((v) => v + 1);
  }, [index, reviewer]);

  const latest = useRef({ index, overlap, reviewer });
  latest.current = { index, overlap, reviewer };
  const myLabelOfPair = useCallback((k: string): DecisionLabel | undefined => {
    if (pending.current.has(latest.current.reviewer, k)) return pending.current.get(latest.current.reviewer, k) ?? undefined;
    return latest.current.index.mine.get(k)?.label;
  }, []);
  const myLabel = useCallback((queryId: string, docId: string) => myLabelOfPair(pairKey(queryId, docId)), [myLabelOfPair]);
  /** The label that decides whether a candidate is still to do for this reviewer (by pairKey). */
  const labelOfPair = useCallback(
    (k: string): DecisionLabel | undefined => {
      const own = myLabelOfPair(k);
      if (own !== undefined || latest.current.overlap) return own;
      return latest.current.index.others.get(k)?.find((d) => !isTodo(d.label))?.label;
    },
    [myLabelOfPair],
  );
  const labelOf = useCallback((queryId: string, docId: string) => labelOfPair(pairKey(queryId, docId)), [labelOfPair]);

  // Search: documents matching the text (db scan, debounced).
  const [docMatches, setDocMatches] = useState<Set<string> | undefined>();
  useEffect(() => {
    const s = filters.search.trim();
    if (!s) {
      setDocMatches(undefined);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      void searchDocs(db, projectId, s).then((m) => live && setDocMatches(m));
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [filters.search, db, projectId]);

  // "Only new": pairs proposed by runs created before this one.
  const [seenBefore, setSeenBefore] = useState<Set<string> | undefined>();
  useEffect(() => {
    if (!filters.onlyNew || !run) return;
    let live = true;
    void (async () => {
      const earlier = (await db.runs.where('projectId').equals(projectId).toArray()).filter((r) => r.createdAt < run.createdAt).map((r) => r.id);
      const pairs = await runPairs(db, earlier);
      if (live) setSeenBefore(new Set(pairs.map(([q, d]) => pairKey(q, d))));
    })();
    return () => {
      live = false;
    };
  }, [filters.onlyNew, run, db, projectId]);

  // "Most uncertain first" with a review model: predictions are computed once when the order is
  // picked (not after every decision, so the queue does not reshuffle under the reviewer).
  const [predicted, setPredicted] = useState<QueueContext['predicted']>();
  useEffect(() => {
    if (order !== 'uncertainty' || !run) return setPredicted(undefined);
    let live = true;
    void loadReviewModel(db, run, undefined, { estimate: false }).then(({ report }) => {
      if (!live) return;
      if (report.notFitted) return setPredicted(undefined);
      setPredicted({ probability: new Map([...report.predictions].map(([c, p]) => [pairKey(c.queryId, c.docId), p])), threshold: run.learnThreshold ?? 0.5 });
    });
    return () => {
      live = false;
    };
  }, [order, run?.id, run?.learnThreshold, db]);

  const depth = run?.config.depth ?? 100;
  const labelsMatter = filters.status !== 'all';
  const queue = useMemo(() => {
    if (!candidates) return [] as CandidateRecord[];
    const ctx: QueueContext = { labelOf, queryText: (q) => queryText.get(q), docMatches, seenBefore, depth, auditSeed: run ? auditSeedFor(run.id) : 0, predicted };
    return buildQueue(candidates, filters, order, ctx);
    // Labels only change the queue when filtering by status.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [candidates, filters, order, queryText, docMatches, seenBefore, depth, run, predicted, labelOf, labelsMatter ? index : null, labelsMatter ? pendingVersion : 0, overlap]);
  const queueIndex = useMemo(() => new Map(queue.map((c, i) => [pairKey(c.queryId, c.docId), i])), [queue]);
  /** Position (1-based) of each query in the queue, for "Query i of n". */
  const queryOrdinal = useMemo(() => {
    const m = new Map<string, number>();
    for (const c of queue) if (!m.has(c.queryId)) m.set(c.queryId, m.size + 1);
    return m;
  }, [queue]);

  // ---- cursor ----------------------------------------------------------------------
  const cursorRef = useRef<string | null>(null);
  const lastIdx = useRef(0);
  const [cursor, setCursorState] = useState<string | null>(null);
  const focusAt = useRef(performance.now());
  const setCursor = useCallback(
    (c: CandidateRecord | undefined) => {
      if (!c) return;
      const k = pairKey(c.queryId, c.docId);
      if (cursorRef.current === k) return;
      cursorRef.current = k;
      focusAt.current = performance.now();
      setCursorState(k);
      saveCursor(runId, reviewer, { queryId: c.queryId, docId: c.docId });
    },
    [runId, reviewer],
  );
  const queueRef = useRef(queue);
  queueRef.current = queue;
  const indexRef = useRef(queueIndex);
  indexRef.current = queueIndex;
  const currentIdx = (): number => {
    const q = queueRef.current;
    if (!q.length) return -1;
    const i = cursorRef.current === null ? undefined : indexRef.current.get(cursorRef.current);
    if (i !== undefined) return (lastIdx.current = i);
    return Math.min(lastIdx.current, q.length - 1);
  };

  // Resume: the saved cursor if it is still in the queue, else the first undecided.
  // While only the quick block is loaded, a cursor that came from a saved position or
  // from the reviewer's own keys is kept when the whole run arrives.
  const resumed = useRef<string | null>(null);
  const keepCursor = useRef(false);
  useEffect(() => {
    if (!candidates || decisionIndex === undefined || !queue.length) return;
    const base = `${runId}/${reviewer}`;
    const token = `${base}/${partial ? 'partial' : 'full'}`;
    if (resumed.current === token) return;
    const fromPartial = resumed.current === `${base}/partial`;
    resumed.current = token;
    const link = linkUsed.current ? undefined : linked.current;
    if (!partial) linkUsed.current = true;
    if (fromPartial && keepCursor.current && cursorRef.current !== null && queueIndex.has(cursorRef.current)) return;
    cursorRef.current = null;
    const saved = loadCursor(runId, reviewer);
    // A link to a query wins over the saved position (unless the saved one is in that query).
    const linkIdx = link && saved?.queryId !== link ? queue.findIndex((c) => c.queryId === link) : -1;
    const savedIdx = linkIdx >= 0 ? linkIdx : saved ? queueIndex.get(pairKey(saved.queryId, saved.docId)) : undefined;
    keepCursor.current = savedIdx !== undefined;
    const i = savedIdx ?? Math.max(0, nextTodo(queue, 0, { labelOf }));
    setCursor(queue[i]);
  }, [candidates, partial, decisionIndex, queue, queueIndex, runId, reviewer, labelOf, setCursor]);

  const setCursorTo = useCallback((i: number) => setCursor(queueRef.current[i]), [setCursor]);
  const idx = cursor === null ? -1 : (queueIndex.get(cursor) ?? Math.min(lastIdx.current, queue.length - 1));
  const current = idx >= 0 ? queue[idx] : undefined;
  const block = useMemo(() => (idx >= 0 && queue.length ? queryBlock(queue, idx) : ([0, 0] as [number, number])), [queue, idx]);

  // ---- per-query data (positives, document texts), cached and prefetched -----------
  const bundles = useRef(new Map<string, QueryBundle>());
  const [bundleVersion, setBundleVersion] = useState(0);
  const loadBundle = useCallback(
    async (queryId: string, docIds: string[], force = false) => {
      if (!force && bundles.current.has(queryId)) return;
      const positives = await positivesOf(db, projectId, queryId);
      const stored = await docsById(db, projectId, [...new Set([...docIds, ...positives.map((p) => p.docId)])]);
      // Shown (and highlighted, diffed, searched) with bidi controls and zero-width
      // characters as visible ⟨U+XXXX⟩ markers: "gnp.exe" must not read as "exe.png".
      const docs = new Map([...stored].map(([id, d]) => [id, revealDoc(d)]));
      bundles.current.set(queryId, { positives, docs });
      if (bundles.current.size > 64) bundles.current.delete(bundles.current.keys().next().value!);
      setBundleVersion((v) => v + 1);
    },
    [db, projectId],
  );
  const currentQuery = current?.queryId;
  useEffect(() => {
    if (!currentQuery) return;
    const [s, e] = block;
    void loadBundle(currentQuery, queue.slice(s, e).map((c) => c.docId));
    // Prefetch the next and previous query so crossing a query boundary paints at once.
    for (const j of [e, s - 1]) {
      if (j < 0 || j >= queue.length) continue;
      const [ns, ne] = queryBlock(queue, j);
      void loadBundle(queue[j].queryId, queue.slice(ns, ne).map((c) => c.docId));
    }
  }, [currentQuery, block, queue, loadBundle]);
  // Positives change when someone promotes a candidate (here or in another tab).
  const qrelsOfQuery = useLiveQuery(
    () => (currentQuery ? readQrelsOfQuery(db, projectId, currentQuery) : []),
    [currentQuery, projectId],
  );
  useEffect(() => {
    if (!currentQuery || !qrelsOfQuery) return;
    const b = bundles.current.get(currentQuery);
    const ids = qrelsOfQuery.filter((q) => q.score > 0).map((q) => q.docId).sort().join('\n');
    if (b && b.positives.map((p) => p.docId).sort().join('\n') !== ids) {
      const [s, e] = block;
      void loadBundle(currentQuery, queue.slice(s, e).map((c) => c.docId), true);
    }
  }, [qrelsOfQuery, currentQuery, block, queue, loadBundle]);
  const bundle = currentQuery ? bundles.current.get(currentQuery) : undefined;
  void bundleVersion;

  // ---- actions -----------------------------------------------------------------------
  const split = run?.config.split ?? 'train';
  const applyChange = useCallback(
    (ch: Change) => {
      for (const t of ch.touched) {
        if (t.reviewer !== reviewer) continue;
        const k = pairKey(t.queryId, t.docId);
        pending.current.wrote(reviewer, k, t.label, t.at);
        dirty.current.add(k);
      }
      setPendingVersion((v) => v + 1);
    },
    [reviewer],
  );
  const [error, setError] = useState<string | null>(null);
  // An undo or redo refused because another tab changed the pair since (UndoConflict).
  const [conflict, setConflict] = useState<string | null>(null);
  const [lastMs, setLastMs] = useState<number | null>(null);

  // What a screen reader hears after each stored decision (a polite live region reads it).
  const [announcement, setAnnouncement] = useState('');
  const write = useCallback(
    async (inputs: DecisionInput[]) => {
      const t0 = performance.now();
      let ch: Change;
      try {
        ch = await writeDecisions(db, inputs, split);
      } catch (err) {
        // Nothing of this action was stored (one transaction): it is not shown as made.
        throw new Error(saveFailure(err, inputs.length));
      }
      performance.measure('review:write', { start: t0, end: performance.now() });
      applyChange(ch);
      useReviewStore.getState().pushChange(ch);
      setError(null);
      setConflict(null);
      setAnnouncement(announceDecisions(inputs));
      return ch;
    },
    [db, split, applyChange],
  );

  const advanceFrom = useCallback(
    (from: number) => {
      const q = queueRef.current;
      const i = nextTodo(q, from % Math.max(1, q.length), { labelOf });
      if (i >= 0) setCursor(q[i]);
    },
    [labelOf, setCursor],
  );

  /**
   * Reverts a Change (undo or redo). When another tab changed one of its pairs since, nothing
   * is reverted, the entry leaves the history (it can never apply again) and the page says
   * what the pair holds now.
   */
  const revertOrExplain = async (ch: Change): Promise<Change | undefined> => {
    try {
      const inverse = await revert(db, ch);
      setConflict(null);
      setError(null);
      return inverse;
    } catch (err) {
      if (!(err instanceof UndoConflict)) throw err;
      for (const t of ch.touched) {
        const k = pairKey(t.queryId, t.docId);
        pending.current.forget(t.reviewer, k);
        dirty.current.add(k);
      }
      setPendingVersion((v) => v + 1);
      useReviewStore.getState().dropHistory(ch);
      setConflict(err.message);
      return undefined;
    }
  };

  const ctxRef = useRef<ReviewCtx | null>(null);
  const input = (c: CandidateRecord, label: DecisionLabel, ms?: number): DecisionInput => ({
    projectId,
    queryId: c.queryId,
    docId: c.docId,
    reviewer,
    label,
    runId,
    ...(ms !== undefined ? { ms } : {}),
  });
  ctxRef.current = {
    hasCurrent: current !== undefined,
    overlay: store.overlay,
    canUndo: store.undoStack.length > 0,
    canRedo: store.redoStack.length > 0,
    decide: async (label) => {
      keepCursor.current = true;
      const i = currentIdx();
      const c = queueRef.current[i];
      if (!c) return;
      const ms = Math.round(performance.now() - focusAt.current);
      await write([input(c, label, ms)]);
      setLastMs(ms);
      advanceFrom(i + 1);
    },
    acceptAllRemaining: async () => {
      const i = currentIdx();
      const q = queueRef.current;
      if (i < 0) return;
      const [s, e] = queryBlock(q, i);
      const todo = q.slice(s, e).filter((c) => isTodo(labelOf(c.queryId, c.docId)));
      if (todo.length) await write(todo.map((c) => input(c, 'accept')));
      advanceFrom(e);
    },
    rejectAllFlagged: async () => {
      const i = currentIdx();
      const q = queueRef.current;
      if (i < 0) return;
      const [s, e] = queryBlock(q, i);
      const todo = q.slice(s, e).filter((c) => c.flags.length > 0 && isTodo(labelOf(c.queryId, c.docId)));
      if (todo.length) await write(todo.map((c) => input(c, 'reject')));
      advanceFrom(s);
    },
    move: (delta) => {
      keepCursor.current = true;
      const q = queueRef.current;
      const i = currentIdx();
      if (i < 0) return;
      setCursor(q[Math.max(0, Math.min(q.length - 1, i + delta))]);
    },
    moveQuery: (delta) => {
      const q = queueRef.current;
      const i = currentIdx();
      if (i < 0) return;
      const [s, e] = queryBlock(q, i);
      if (delta > 0 && e < q.length) setCursor(q[e]);
      else if (delta < 0 && s > 0) setCursor(q[queryBlock(q, s - 1)[0]]);
    },
    undo: async () => {
      const st = useReviewStore.getState();
      const ch = st.undoStack[st.undoStack.length - 1];
      if (!ch) return;
      const redo = await revertOrExplain(ch);
      if (!redo) return;
      applyChange(redo);
      useReviewStore.getState().undone(redo);
      setAnnouncement(`Undone (${redo.touched.length} decision${redo.touched.length === 1 ? '' : 's'})`);
      const t = redo.touched.find((x) => x.reviewer === reviewer) ?? redo.touched[0];
      const at = t ? indexRef.current.get(pairKey(t.queryId, t.docId)) : undefined;
      if (at !== undefined) setCursor(queueRef.current[at]);
    },
    redo: async () => {
      const st = useReviewStore.getState();
      const ch = st.redoStack[st.redoStack.length - 1];
      if (!ch) return;
      const undo = await revertOrExplain(ch);
      if (!undo) return;
      applyChange(undo);
      useReviewStore.getState().redone(undo);
      setAnnouncement(`Redone (${undo.touched.length} decision${undo.touched.length === 1 ? '' : 's'})`);
      const i = currentIdx();
      advanceFrom(i + 1);
    },
    toggleOverlay: (o) => {
      const cur = useReviewStore.getState().overlay;
      useReviewStore.getState().setOverlay(cur === o ? null : o);
    },
    closeOverlay: () => useReviewStore.getState().setOverlay(null),
    togglePositive: () => useReviewStore.getState().togglePositive(),
  };
  // Actions read the newest context when they start (see ActionManager.run): the
  // cursor and labels come from refs, so queued keys never act on a stale candidate.
  const getCtx = useCallback(() => {
    const c = ctxRef.current!;
    const i = currentIdx();
    return { ...c, hasCurrent: i >= 0, overlay: useReviewStore.getState().overlay, canUndo: useReviewStore.getState().undoStack.length > 0, canRedo: useReviewStore.getState().redoStack.length > 0 };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  /** Resolves a conflict: both reviewers' decisions on the pair become `label`. */
  const resolve = useCallback(
    async (queryId: string, docId: string, label: DecisionLabel, reviewers: string[]) => {
      await write(reviewers.map((r) => ({ projectId, queryId, docId, reviewer: r, label, runId })));
    },
    [write, projectId, runId],
  );

  // ---- counts ------------------------------------------------------------------------
  const runPairSet = useMemo(() => new Set((fullCandidates ?? []).map((c) => pairKey(c.queryId, c.docId))), [fullCandidates]);
  // Kept up to date pair by pair (RunTally): a decision recounts the pairs it touched, not
  // every decision stored. Counted from scratch only when what counts changes as a whole.
  const tally = useMemo(
    () =>
      new RunTally(runPairSet, labelOfPair, (k) => {
        const d = latest.current.index.mine.get(k);
        return d && d.runId === runId ? d.ms : undefined;
      }),
    [runPairSet, labelOfPair, runId],
  );
  const countedFor = useRef<unknown[]>([]);
  const counts = useMemo(() => {
    const basis = [tally, overlap, reviewer, feedResets, decisionIndex === undefined];
    if (basis.some((x, i) => x !== countedFor.current[i])) {
      countedFor.current = basis;
      dirty.current.clear();
      const { mine, others } = latest.current.index;
      tally.recount(
        (function* () {
          for (const [k] of pending.current.of(reviewer)) yield k;
          yield* mine.keys();
          if (!overlap) yield* others.keys();
        })(),
      );
    } else if (dirty.current.size) {
      tally.update(dirty.current);
      dirty.current.clear();
    }
    return tally.counts();
    // Recounted when labels change (index, pending) as well as the basis above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tally, overlap, reviewer, feedResets, decisionIndex, index, pendingVersion]);

  return {
    db,
    run,
    project,
    loading: candidates === undefined || decisionIndex === undefined,
    /** Only the first query is loaded yet; the rest of the run is on its way. */
    partial,
    candidates: candidates ?? [],
    queue,
    queryOrdinal,
    idx,
    current,
    block,
    bundle,
    queryText,
    index,
    myLabel,
    labelOf,
    counts,
    getCtx,
    resolve,
    error,
    setError,
    /** The decisions could not be read (the page may show stale labels). */
    readError: feedError,
    conflict,
    lastMs,
    announcement,
    setCursorTo,
  };
}

export type ReviewModel = ReturnType<typeof useReview>;

/** A document as Review shows it: invisible characters of title and text revealed. */
function revealDoc(d: DocumentRecord): DocumentRecord {
  return hasInvisible(d.title) || hasInvisible(d.text) ? { ...d, title: revealInvisible(d.title), text: revealInvisible(d.text) } : d;
}
