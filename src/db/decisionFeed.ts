// Following a project's decisions without reading them all again after each one.
//
// Review shows every reviewer's decisions and must see another tab's at once. Reading all
// of a project's decisions after every write (a liveQuery over the project) costs a
// transaction that grows with the decisions stored (20,000 decisions: ~0.5 s per key
// press on the Debian run), and the next decision's write waits behind it. Every change
// to `decisions` appends to `decisionEvents` in the same transaction (decisions.ts), and
// that log's key `seq` only grows: so the feed reads the decisions once, remembers the
// last seq, and after each commit (this tab's, or another tab's through Dexie's
// `storagemutated`, which crosses tabs) reads only the events above it and the current
// records of the pairs they name. A change to `decisions` with no new event (a test hook,
// a deleted project, a page restored from the back-forward cache) reloads everything.
import Dexie, { type ObservabilitySet } from 'dexie';
import type { QuarryDB } from './db';
import type { DecisionRecord } from './schema';
import { projectDecisions } from './decisions';

export type DecisionKey = [projectId: string, queryId: string, docId: string, reviewer: string];

/** What the feed delivers: the whole set (first load, or after a change it cannot follow) or changed pairs. */
export type DecisionUpdate =
  | { kind: 'reset'; rows: DecisionRecord[] }
  /** Each changed pair with its stored record now (undefined: no decision any more). */
  | { kind: 'changes'; pairs: Array<{ key: DecisionKey; record: DecisionRecord | undefined }> };

/** A project's decisions and the log position they include, read in one transaction. */
export async function readDecisionsAt(db: QuarryDB, projectId: string): Promise<{ rows: DecisionRecord[]; seq: number }> {
  return db.transaction('r', [db.decisions, db.decisionEvents], async () => {
    const rows = await projectDecisions(db, projectId);
    const seq = ((await db.decisionEvents.toCollection().lastKey()) as number | undefined) ?? 0;
    return { rows, seq };
  });
}

/**
 * The project's pairs named by log events above `seq`, with their records now, and the new
 * log position. `events` counts every new event (any project), so a caller can tell "the
 * log moved" from "nothing was logged".
 */
export async function decisionChangesSince(
  db: QuarryDB,
  projectId: string,
  seq: number,
): Promise<{ seq: number; events: number; pairs: Array<{ key: DecisionKey; record: DecisionRecord | undefined }> }> {
  return db.transaction('r', [db.decisions, db.decisionEvents], async () => {
    const events = await db.decisionEvents.where(':id').above(seq).toArray();
    const keys = new Map<string, DecisionKey>();
    for (const e of events) {
      if (e.projectId !== projectId) continue;
      const key: DecisionKey = [e.projectId, e.queryId, e.docId, e.reviewer];
      keys.set(JSON.stringify(key), key);
    }
    const list = [...keys.values()];
    const records = list.length ? await db.decisions.bulkGet(list) : [];
    return {
      seq: events.length ? events[events.length - 1].seq! : seq,
      events: events.length,
      pairs: list.map((key, i) => ({ key, record: records[i] })),
    };
  });
}

/** Which tables of `db` a committed change touched ("all": it cannot say). */
function touched(db: QuarryDB, parts: ObservabilitySet): { decisions: boolean; events: boolean } {
  if ('all' in parts) return { decisions: true, events: true };
  const prefix = `idb://${db.name}/`;
  let decisions = false;
  let events = false;
  for (const part of Object.keys(parts)) {
    if (!part.startsWith(prefix)) continue;
    const table = part.slice(prefix.length, part.indexOf('/', prefix.length));
    if (table === 'decisions') decisions = true;
    else if (table === 'decisionEvents') events = true;
  }
  return { decisions, events };
}

/**
 * Follows a project's decisions: `onUpdate` gets the whole set first, then only what
 * changed after each committed write, from this tab or another. Returns `stop`.
 */
export function followDecisions(db: QuarryDB, projectId: string, onUpdate: (u: DecisionUpdate) => void, onError: (err: unknown) => void = console.error): () => void {
  let stopped = false;
  let seq = -1; // -1: not loaded yet
  let running = false;
  let again = false;
  let reload = true;
  let sawDecisions = false;

  const sync = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const full = reload;
        const decisionsChanged = sawDecisions;
        reload = false;
        sawDecisions = false;
        if (full) {
          const snap = await readDecisionsAt(db, projectId);
          if (stopped) return;
          seq = snap.seq;
          onUpdate({ kind: 'reset', rows: snap.rows });
          continue;
        }
        const ch = await decisionChangesSince(db, projectId, seq);
        if (stopped) return;
        if (ch.events === 0 && decisionsChanged) {
          // Decisions changed without a log entry: the log cannot say what; read them all.
          reload = true;
          again = true;
          continue;
        }
        seq = ch.seq;
        if (ch.pairs.length) onUpdate({ kind: 'changes', pairs: ch.pairs });
      } while (again && !stopped);
    } catch (err) {
      if (!stopped) onError(err);
    } finally {
      running = false;
    }
  };

  const listener = (parts: ObservabilitySet) => {
    const t = touched(db, parts);
    if (!t.decisions && !t.events) return;
    if ('all' in parts) reload = true;
    if (t.decisions) sawDecisions = true;
    void sync();
  };
  // Subscribed before the first read: a write that lands meanwhile is read after it.
  Dexie.on('storagemutated', listener);
  void sync();
  return () => {
    stopped = true;
    Dexie.on.storagemutated.unsubscribe(listener);
  };
}
