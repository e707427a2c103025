// What the Review page's polite live region says after decisions are stored.
import type { DecisionLabel } from '../../../core/types';
import type { DecisionInput } from '../../../db/decisions';

const SPOKEN: Record<DecisionLabel, string> = {
  accept: 'Accepted as negative',
  reject: 'Rejected',
  positive: 'Marked as positive',
  skip: 'Skipped',
};

/** The sentence announced after decisions are stored: one label, its count or document. */
export function announceDecisions(inputs: DecisionInput[]): string {
  if (inputs.length === 0) return '';
  const label = SPOKEN[inputs[0].label];
  return inputs.length === 1 ? `${label}: ${inputs[0].docId}` : `${label}: ${inputs.length} candidates`;
}
