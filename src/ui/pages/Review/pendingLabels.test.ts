// The pending-label model of the Review page as plain event sequences (no React, no browser).
import { describe, expect, it } from 'vitest';
import type { DecisionLabel } from '../../../core/types';
import { PendingLabels } from './pendingLabels';

/** A stand-in for the database rows liveQuery delivers. */
function db() {
  const rows = new Map<string, { label: DecisionLabel; at: number }>();
  return { rows, stored: (pair: string) => rows.get(pair) };
}

describe('PendingLabels', () => {
  it('an own label counts until the database shows it, then the database rules (two tabs: A accepts, B rejects)', () => {
    const p = new PendingLabels();
    const d = db();
    p.wrote('ann', 'q1/d1', 'accept', 100); // tab A stored accept
    expect(p.reconcile('ann', d.stored)).toBe(false); // liveQuery has not delivered it yet
    expect(p.get('ann', 'q1/d1')).toBe('accept');
    d.rows.set('q1/d1', { label: 'accept', at: 100 });
    expect(p.reconcile('ann', d.stored)).toBe(true); // delivered: the entry goes
    expect(p.has('ann', 'q1/d1')).toBe(false);
    d.rows.set('q1/d1', { label: 'reject', at: 200 }); // tab B rejects
    p.reconcile('ann', d.stored);
    expect(p.get('ann', 'q1/d1')).toBeUndefined(); // so tab A shows the stored "reject"
  });

  it('a later write from another tab wins even when ours was never delivered', () => {
    const p = new PendingLabels();
    const d = db();
    p.wrote('ann', 'q1/d1', 'accept', 100);
    d.rows.set('q1/d1', { label: 'reject', at: 150 });
    expect(p.reconcile('ann', d.stored)).toBe(true);
    expect(p.has('ann', 'q1/d1')).toBe(false);
  });

  it('an older stored row does not clear a newer pending label; other reviewers are dropped', () => {
    const p = new PendingLabels();
    const d = db();
    d.rows.set('q1/d1', { label: 'reject', at: 50 });
    p.wrote('ann', 'q1/d1', 'accept', 100);
    p.wrote('bob', 'q1/d2', 'skip', 100);
    p.reconcile('ann', d.stored);
    expect(p.get('ann', 'q1/d1')).toBe('accept');
    expect(p.has('bob', 'q1/d2')).toBe(false);
    expect([...p.of('ann')]).toEqual([['q1/d1', 'accept']]);
    p.wrote('ann', 'q1/d1', null, 120); // an undo removed it
    d.rows.delete('q1/d1');
    p.reconcile('ann', d.stored);
    expect(p.has('ann', 'q1/d1')).toBe(false);
  });
});
