// Learning from a run's reviews, read from the database: the one place the Evaluate page and
// the export get the calibration report from, so what the page previews is what the export
// applies. The threshold a user picks on Evaluate is stored on the run (`learnThreshold`).
import { resolveDecisions } from '../core/export';
import { learnFromReviews, type ReviewModelReport } from '../core/learn';
import { auditSeedFor } from '../core/review/queue';
import type { QuarryDB } from './db';
import type { CandidateRecord, RunRecord } from './schema';

export interface RunReviewModel {
  report: ReviewModelReport;
  candidates: CandidateRecord[];
}

/** The calibration of `run` from the project's decisions (one reviewer's, or all resolved). */
export async function loadReviewModel(db: QuarryDB, run: RunRecord, reviewer?: string, opts: { estimate?: boolean } = {}): Promise<RunReviewModel> {
  const [candidates, decisions] = await Promise.all([
    db.candidates.where('runId').equals(run.id).toArray(),
    db.decisions.where('projectId').equals(run.projectId).toArray(),
  ]);
  return { report: reviewModelOf(run, candidates, resolveDecisions(decisions, reviewer), opts), candidates };
}

export function reviewModelOf(
  run: RunRecord,
  candidates: readonly CandidateRecord[],
  resolved: ReturnType<typeof resolveDecisions>,
  opts: { estimate?: boolean } = {},
): ReviewModelReport {
  return learnFromReviews({
    ...opts,
    candidates,
    memberNames: run.config.members.map((m) => m.name),
    depth: run.config.depth ?? 100,
    labelOf: (q, d) => resolved.get(q)?.get(d),
    auditSeed: auditSeedFor(run.id),
  });
}

/** Stores (or clears, with undefined) the probability above which exports drop unreviewed candidates. */
export async function setLearnThreshold(db: QuarryDB, runId: string, threshold: number | undefined): Promise<void> {
  if (threshold !== undefined && !(threshold > 0 && threshold < 1)) throw new Error(`threshold must be in (0, 1), got ${threshold}`);
  const n = await db.runs.update(runId, { learnThreshold: threshold });
  if (!n) throw new Error(`run ${runId} not found`);
}
