// UI state of the Review page (zustand). Data (decisions, candidates) lives in
// IndexedDB and is read through liveQuery; this store holds only what the screen is
// doing: reviewer name, filters, order, open panel, undo/redo stacks of this session.
import { create } from 'zustand';
import type { Change } from '../db/decisions';
import { DEFAULT_FILTERS, type QueueFilters, type QueueOrder } from '../core/review/queue';
import type { ReviewOverlay } from '../ui/actions/review';

const REVIEWER_KEY = 'quarry.reviewer';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled (privacy mode): the name just isn't remembered
  }
}

export interface ReviewUiState {
  reviewer: string;
  /** Overlap mode: show candidates other reviewers already decided (for agreement). */
  overlap: boolean;
  filters: QueueFilters;
  order: QueueOrder;
  overlay: ReviewOverlay | null;
  positiveOpen: boolean;
  /** Undo/redo of this session: each entry is one user action (possibly many decisions). */
  undoStack: Change[];
  redoStack: Change[];
  setReviewer(name: string): void;
  setOverlap(on: boolean): void;
  setFilters(patch: Partial<QueueFilters>): void;
  resetFilters(): void;
  setOrder(o: QueueOrder): void;
  setOverlay(o: ReviewOverlay | null): void;
  togglePositive(): void;
  pushChange(c: Change): void;
  /** Moves the top undo entry to redo (after it was reverted) with its redo Change. */
  undone(redo: Change): void;
  redone(undo: Change): void;
  /** Removes an entry from undo and redo (it was refused and can never apply again). */
  dropHistory(c: Change): void;
  clearHistory(): void;
}

export const useReviewStore = create<ReviewUiState>((set) => ({
  reviewer: storage()?.getItem(REVIEWER_KEY) || 'reviewer',
  overlap: false,
  filters: DEFAULT_FILTERS,
  order: 'query',
  overlay: null,
  positiveOpen: false,
  undoStack: [],
  redoStack: [],
  setReviewer: (name) => {
    const clean = name.trim() || 'reviewer';
    storage()?.setItem(REVIEWER_KEY, clean);
    // Undo history belongs to the reviewer who made the changes.
    set({ reviewer: clean, undoStack: [], redoStack: [] });
  },
  setOverlap: (overlap) => set({ overlap }),
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  resetFilters: () => set({ filters: DEFAULT_FILTERS }),
  setOrder: (order) => set({ order }),
  setOverlay: (overlay) => set({ overlay }),
  togglePositive: () => set((s) => ({ positiveOpen: !s.positiveOpen })),
  pushChange: (c) => set((s) => ({ undoStack: [...s.undoStack, c], redoStack: [] })),
  undone: (redo) => set((s) => ({ undoStack: s.undoStack.slice(0, -1), redoStack: [...s.redoStack, redo] })),
  redone: (undo) => set((s) => ({ redoStack: s.redoStack.slice(0, -1), undoStack: [...s.undoStack, undo] })),
  dropHistory: (c) => set((s) => ({ undoStack: s.undoStack.filter((x) => x !== c), redoStack: s.redoStack.filter((x) => x !== c) })),
  clearHistory: () => set({ undoStack: [], redoStack: [] }),
}));

/** Where a reviewer was in a run, so a reload resumes there. */
export function loadCursor(runId: string, reviewer: string): { queryId: string; docId: string } | null {
  try {
    const raw = storage()?.getItem(`quarry.review.cursor.${runId}.${reviewer}`);
    return raw ? (JSON.parse(raw) as { queryId: string; docId: string }) : null;
  } catch {
    return null;
  }
}

export function saveCursor(runId: string, reviewer: string, at: { queryId: string; docId: string }): void {
  storage()?.setItem(`quarry.review.cursor.${runId}.${reviewer}`, JSON.stringify(at));
}

/** Guidelines are shown automatically the first time a reviewer opens a project's review. */
export function guidelinesSeen(projectId: string, reviewer: string): boolean {
  return storage()?.getItem(`quarry.review.guidelinesSeen.${projectId}.${reviewer}`) === '1';
}

export function markGuidelinesSeen(projectId: string, reviewer: string): void {
  storage()?.setItem(`quarry.review.guidelinesSeen.${projectId}.${reviewer}`, '1');
}
