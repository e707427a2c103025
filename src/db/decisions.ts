// Review decisions. A decision belongs to the (project, query, document) pair and a
// reviewer, not to a run, so it carries over to later runs. Every change is written
// to `decisions` and appended to `decisionEvents` in ONE transaction before the UI
// moves on: a decision that was shown as made is on disk. The log is also how pages follow
// decisions (decisionFeed.ts): a change to `decisions` without its event is not seen as one.
//
// Undo/redo: each user action returns a Change (the event seqs it appended, the qrels
// it added or removed). Undoing a Change appends inverse events (the log stays
// append-only) and returns the Change that redoes it. The page keeps these in memory:
// unlimited undo within the session.
//
// Undo and redo are compare-and-set: a pair goes back only while its label is still the
// one this action wrote. The same reviewer in a second tab may have decided it since;
// undoing over that would silently delete their decision, so the whole undo is refused
// (UndoConflict, nothing written) and the message says what the pair holds now.
import type { QuarryDB } from './db';
import type { DecisionEventRecord, DecisionRecord, QrelRecord } from './schema';
import type { DecisionLabel } from '../core/types';
import { qrelsOfQuery } from './corpus';

export interface DecisionInput {
  projectId: string;
  queryId: string;
  docId: string;
  reviewer: string;
  label: DecisionLabel;
  runId: string;
  /** Milliseconds spent on the candidate. */
  ms?: number;
}

/** What one user action wrote, enough to reverse it. */
export interface Change {
  events: number[];
  qrelsAdded: QrelRecord[];
  qrelsRemoved: QrelRecord[];
  /** Each pair the change wrote and the label it now has (null: no decision), in order. */
  touched: Array<{ queryId: string; docId: string; reviewer: string; label: DecisionLabel | null; at: number }>;
}

export type QrelKey = [projectId: string, split: string, queryId: string, docId: string];
const qrelKey = (q: QrelRecord): QrelKey => [q.projectId, q.split, q.queryId, q.docId];
const decisionKey = (d: { projectId: string; queryId: string; docId: string; reviewer: string }) =>
  [d.projectId, d.queryId, d.docId, d.reviewer] as [string, string, string, string];

// qrels join the transaction only when it writes them (a promotion, or undoing one): a
// plain accept or reject then never waits for a read of the qrels (the page prefetches the
// next query's positives) and locks no more than the two tables it writes.
const tables = (db: QuarryDB, qrels: boolean) => (qrels ? [db.decisions, db.decisionEvents, db.qrels] : [db.decisions, db.decisionEvents]);

export interface UndoConflictPair {
  queryId: string;
  docId: string;
  reviewer: string;
  /** The label the action being undone wrote (null: it removed the decision). */
  wrote: DecisionLabel | null;
  /** The label stored now (null: no decision). */
  now: DecisionLabel | null;
  /** When the stored decision was written (absent when it was removed). */
  at?: number;
}

const labelText = (l: DecisionLabel | null) => (l === null ? 'no decision' : l);
const clock = (ms: number) => new Date(ms).toTimeString().slice(0, 8);

/** An undo or redo refused because a pair it would revert was changed after it (another tab). */
export class UndoConflict extends Error {
  constructor(readonly conflicts: UndoConflictPair[]) {
    const c = conflicts[0];
    const by = c.at !== undefined ? ` (set by ${c.reviewer} in another tab or session at ${clock(c.at)})` : ` (changed by ${c.reviewer} in another tab or session)`;
    const more = conflicts.length > 1 ? ` (and ${conflicts.length - 1} more)` : '';
    super(
      `Not undone: ${c.docId} for query ${c.queryId} is now "${labelText(c.now)}"${by}, not the "${labelText(c.wrote)}" this action wrote${more}; the stored decision was kept.`,
    );
    this.name = 'UndoConflict';
  }
}

/**
 * Records decisions (one or many, e.g. "accept all remaining") atomically. Promoting
 * to positive (`label: 'positive'`) also adds a qrel (source 'review', in `split`) and
 * turns every reviewer's 'accept' of that pair into 'positive': the document is no
 * longer a negative for that query anywhere.
 */
export async function decide(db: QuarryDB, inputs: DecisionInput[], split: string): Promise<Change> {
  const change: Change = { events: [], qrelsAdded: [], qrelsRemoved: [], touched: [] };
  if (!inputs.length) return change;
  // Imported judgements live in corpus blocks (corpus.ts), read before the transaction:
  // promoting is rare, and the transaction stays on decisions, decisionEvents (and qrels).
  const judged = new Map<string, QrelRecord>();
  for (const input of inputs) {
    if (input.label !== 'positive') continue;
    for (const q of await qrelsOfQuery(db, input.projectId, input.queryId)) judged.set(JSON.stringify(qrelKey(q)), q);
  }
  await db.transaction('rw', tables(db, inputs.some((i) => i.label === 'positive')), async () => {
    const at = Date.now();
    for (const input of inputs) {
      await setLabel(db, input, input.label, at, change);
      if (input.label !== 'positive') continue;
      const key: QrelKey = [input.projectId, split, input.queryId, input.docId];
      // A review-added qrel is a row of `qrels`; it wins over an imported judgement of the pair.
      const stored = await db.qrels.get(key);
      const existing = stored ?? judged.get(JSON.stringify(key));
      if (!existing || existing.score <= 0) {
        const q: QrelRecord = { projectId: input.projectId, split, queryId: input.queryId, docId: input.docId, score: 1, source: 'review' };
        await db.qrels.put(q);
        if (stored) change.qrelsRemoved.push(stored);
        change.qrelsAdded.push(q);
      }
      const others = await db.decisions
        .where('[projectId+queryId]')
        .equals([input.projectId, input.queryId])
        .filter((d) => d.docId === input.docId && d.reviewer !== input.reviewer && d.label === 'accept')
        .toArray();
      for (const o of others) await setLabel(db, { ...o, ms: undefined }, 'positive', at, change);
    }
  });
  return change;
}

async function setLabel(
  db: QuarryDB,
  input: Omit<DecisionInput, 'label'>,
  label: DecisionLabel | null,
  at: number,
  change: Change,
): Promise<void> {
  const prev = await db.decisions.get(decisionKey(input));
  let rec: DecisionRecord | null = null;
  if (label !== null) {
    rec = { projectId: input.projectId, queryId: input.queryId, docId: input.docId, reviewer: input.reviewer, label, at, runId: input.runId };
    if (input.ms !== undefined) rec.ms = input.ms;
  }
  const ev: DecisionEventRecord = {
    projectId: input.projectId,
    queryId: input.queryId,
    docId: input.docId,
    reviewer: input.reviewer,
    label,
    previous: prev?.label ?? null,
    at,
    runId: input.runId,
  };
  // The record and its log event are requested together (one round trip, not two: each
  // await is a task the page may have to wait for behind rendering); same transaction.
  // Only Dexie promises are awaited here (no native Promise.all): a native promise would
  // lose the transaction's zone (see corpus.ts).
  const written: Promise<unknown> = rec ? db.decisions.put(rec) : db.decisions.delete(decisionKey(input));
  written.catch(() => undefined); // a failure aborts the transaction: the add below rejects with it
  const seq = await db.decisionEvents.add(ev);
  await written; // requested first, so already done
  change.events.push(seq);
  change.touched.push({ queryId: input.queryId, docId: input.docId, reviewer: input.reviewer, label, at });
}

/**
 * Reverses a Change: every event's pair goes back to the label it had before (in
 * reverse order), added qrels are deleted and removed ones restored. Returns the
 * Change that redoes it.
 */
export async function revert(db: QuarryDB, change: Change): Promise<Change> {
  const inverse: Change = { events: [], qrelsAdded: change.qrelsRemoved, qrelsRemoved: change.qrelsAdded, touched: [] };
  await db.transaction('rw', tables(db, change.qrelsAdded.length + change.qrelsRemoved.length > 0), async () => {
    const at = Date.now();
    const events = await db.decisionEvents.bulkGet(change.events);
    // Compare: every pair must still hold what this change left in it (its last event per pair).
    const expected = new Map<string, { ev: DecisionEventRecord; label: DecisionLabel | null }>();
    events.forEach((ev, i) => {
      if (!ev) throw new Error(`Decision event ${change.events[i]} is missing: cannot undo.`);
      expected.set(JSON.stringify(decisionKey(ev)), { ev, label: ev.label });
    });
    const conflicts: UndoConflictPair[] = [];
    for (const { ev, label } of expected.values()) {
      const now = await db.decisions.get(decisionKey(ev));
      if ((now?.label ?? null) !== label) {
        conflicts.push({ queryId: ev.queryId, docId: ev.docId, reviewer: ev.reviewer, wrote: label, now: now?.label ?? null, ...(now ? { at: now.at } : {}) });
      }
    }
    if (conflicts.length) throw new UndoConflict(conflicts);
    // ...and set.
    for (let i = events.length - 1; i >= 0; i--) {
      const ev = events[i]!;
      await setLabel(db, ev, ev.previous, at, inverse);
    }
    for (const q of change.qrelsAdded) await db.qrels.delete(qrelKey(q));
    for (const q of change.qrelsRemoved) await db.qrels.put(q);
  });
  return inverse;
}

/** All current decisions of a project (every reviewer). */
export function projectDecisions(db: QuarryDB, projectId: string): Promise<DecisionRecord[]> {
  return db.decisions.where('projectId').equals(projectId).toArray();
}

/** The decision log of a project, oldest first. */
export function decisionLog(db: QuarryDB, projectId: string): Promise<DecisionEventRecord[]> {
  return db.decisionEvents.where('projectId').equals(projectId).sortBy('seq');
}
