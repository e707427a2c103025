// The Review page's actions. Keys, button labels, the key-hint bar and the `?` help
// overlay all come from this list.
import type { DecisionLabel } from '../../core/types';
import { ActionManager, type Action } from './manager';

export type ReviewOverlay = 'help' | 'guidelines' | 'conflicts' | 'compare';

/** What review actions can do; the page implements it. */
export interface ReviewCtx {
  /** A candidate is under the cursor. */
  hasCurrent: boolean;
  overlay: ReviewOverlay | null;
  canUndo: boolean;
  canRedo: boolean;
  decide(label: DecisionLabel): Promise<void>;
  acceptAllRemaining(): Promise<void>;
  rejectAllFlagged(): Promise<void>;
  move(delta: number): void;
  moveQuery(delta: number): void;
  undo(): Promise<void>;
  redo(): Promise<void>;
  toggleOverlay(o: ReviewOverlay): void;
  closeOverlay(): void;
  togglePositive(): void;
}

type A = Action<ReviewCtx>;
const onCandidate = (ctx: ReviewCtx) => ctx.hasCurrent && ctx.overlay === null;
const noOverlay = (ctx: ReviewCtx) => ctx.overlay === null;

export const reviewActions: A[] = [
  { name: 'accept', hint: 'Negative', label: 'Accept as negative', keys: ['a'], group: 'Decide', enabled: onCandidate, perform: (c) => c.decide('accept') },
  { name: 'reject', hint: 'Reject', label: 'Reject', keys: ['x'], group: 'Decide', enabled: onCandidate, perform: (c) => c.decide('reject') },
  { name: 'promote', hint: 'Positive', label: 'Promote to positive', keys: ['p'], group: 'Decide', enabled: onCandidate, perform: (c) => c.decide('positive') },
  { name: 'skip', hint: 'Skip', label: 'Skip', keys: ['space'], group: 'Decide', enabled: onCandidate, perform: (c) => c.decide('skip') },
  {
    name: 'acceptAll',
    hint: 'Accept rest',
    label: 'Accept all remaining of this query',
    keys: ['shift+a'],
    group: 'Decide',
    enabled: onCandidate,
    perform: (c) => c.acceptAllRemaining(),
  },
  {
    name: 'rejectFlagged',
    hint: 'Reject flagged',
    label: 'Reject all flagged of this query',
    keys: ['shift+x'],
    group: 'Decide',
    enabled: onCandidate,
    perform: (c) => c.rejectAllFlagged(),
  },
  { name: 'undo', hint: 'Undo', label: 'Undo', keys: ['z', 'backspace'], group: 'History', enabled: (c) => c.canUndo && noOverlay(c), perform: (c) => c.undo() },
  { name: 'redo', hint: 'Redo', label: 'Redo', keys: ['shift+z'], group: 'History', enabled: (c) => c.canRedo && noOverlay(c), perform: (c) => c.redo() },
  { name: 'next', hint: 'Next', label: 'Next candidate', keys: ['j', 'arrowdown'], group: 'Move', enabled: noOverlay, perform: (c) => c.move(1) },
  { name: 'prev', hint: 'Previous', label: 'Previous candidate', keys: ['k', 'arrowup'], group: 'Move', enabled: noOverlay, perform: (c) => c.move(-1) },
  { name: 'nextQuery', label: 'Next query', keys: [']', 'arrowright'], group: 'Move', enabled: noOverlay, perform: (c) => c.moveQuery(1) },
  { name: 'prevQuery', label: 'Previous query', keys: ['[', 'arrowleft'], group: 'Move', enabled: noOverlay, perform: (c) => c.moveQuery(-1) },
  { name: 'positive', label: 'Expand / collapse the positive', keys: ['e'], group: 'View', enabled: noOverlay, perform: (c) => c.togglePositive() },
  { name: 'guidelines', hint: 'Guidelines', label: 'Guidelines', keys: ['g'], group: 'View', perform: (c) => c.toggleOverlay('guidelines') },
  { name: 'conflicts', label: 'Agreement and conflicts', keys: ['c'], group: 'View', perform: (c) => c.toggleOverlay('conflicts') },
  { name: 'compare', label: 'Compare with another run', keys: ['r'], group: 'View', perform: (c) => c.toggleOverlay('compare') },
  { name: 'help', hint: 'All keys', label: 'Keyboard shortcuts', keys: ['?'], group: 'View', perform: (c) => c.toggleOverlay('help') },
  { name: 'close', label: 'Close panel', keys: ['escape'], group: 'View', enabled: (c) => c.overlay !== null, perform: (c) => c.closeOverlay() },
];

export function createReviewActionManager(): ActionManager<ReviewCtx> {
  return new ActionManager(reviewActions);
}
