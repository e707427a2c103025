// Colours of the Evaluate charts, per colour scheme. Positive and negative have their own
// colours, review states theirs, and members draw from a palette apart from all of them, so
// a member's bar is never read as "positives" or "accepted". Tested in palette.test.ts.
import type { ColorScheme } from '../../components/useColorScheme';

export interface ChartPalette {
  positive: string;
  negative: string;
  /** Review counts chart. */
  /** Unreviewed is drawn as hatching in its colour: visible, yet plainly not a decision. */
  status: { candidates: string; flagged: string; rejected: string; skipped: string; unreviewed: string };
  /** Rank chart: one colour per member, in config order; the fused list has its own. */
  members: readonly string[];
  ensemble: string;
  /** Axis text and grid lines. */
  axis: string;
  grid: string;
}

export const PALETTES: Record<ColorScheme, ChartPalette> = {
  light: {
    positive: '#2f7d4f',
    negative: '#c0532b',
    status: { candidates: '#475569', flagged: '#a16207', rejected: '#1f2937', skipped: '#9ca3af', unreviewed: '#7c8a9e' },
    members: ['#3867b5', '#8a5ab8', '#1b8a94', '#b0417f', '#7a7d1e', '#2b3f78'],
    ensemble: '#1d232b',
    axis: '#5d6672',
    grid: '#dde1e6',
  },
  dark: {
    positive: '#4cc38a',
    negative: '#e8825c',
    status: { candidates: '#7b8ba3', flagged: '#d9a21b', rejected: '#e5e7eb', skipped: '#4f5968', unreviewed: '#b4bcc8' },
    members: ['#7aa2f7', '#b69cff', '#4fc1cf', '#e07ab8', '#b8bb4a', '#f0b3c8'],
    ensemble: '#e4e8ec',
    axis: '#99a3ad',
    grid: '#2c323a',
  },
};

/** The colour of the i-th member series (cycling when a run has more members than colours). */
export function memberColor(p: ChartPalette, i: number): string {
  return p.members[i % p.members.length];
}
