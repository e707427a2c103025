// "Learn from reviews" on the Evaluate page: the false-negative model fitted on this run's
// decisions (cross-validated AUC, reliability), two estimates of how many false negatives
// the unreviewed candidates hold (model and audit sample), and a threshold with a preview of
// what an export that includes unreviewed candidates would leave out. The threshold is stored
// on the run; the Export page applies it (src/db/learn.ts, src/db/exports.ts).
import { useEffect, useMemo, useState } from 'react';
import type { QuarryDB } from '../../../db/db';
import { setLearnThreshold } from '../../../db/learn';
import type { RunRecord } from '../../../db/schema';
import { thresholdPreview, type ReviewModelReport } from '../../../core/learn';
import type { ShareEstimate } from '../../../core/learn';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const range = (e: ShareEstimate) => `${pct(e.estimate)} (95% interval ${pct(e.low)}–${pct(e.high)})`;

/** `model`: fitted by the Evaluate page on the candidates it read (null while they load). */
export function LearnPanel({ db, run, model }: { db: QuarryDB; run: RunRecord; model: { report: ReviewModelReport } | { error: string } | null }) {
  const [saveError, setSaveError] = useState<string | null>(null);
  const [threshold, setThreshold] = useState(run.learnThreshold ?? 0.5);
  const [saved, setSaved] = useState<number | undefined>(run.learnThreshold);
  useEffect(() => {
    setSaved(run.learnThreshold);
    if (run.learnThreshold !== undefined) setThreshold(run.learnThreshold);
  }, [run.id, run.learnThreshold]);
  const report = model && 'report' in model ? model.report : null;
  const preview = useMemo(() => (report && !report.notFitted ? thresholdPreview(report, threshold) : null), [report, threshold]);
  const error = (model && 'error' in model ? model.error : null) ?? saveError;

  if (error) return <p className="evaluate-error">Could not fit the review model: {error}</p>;
  if (!report) return <p className="evaluate-empty">Fitting the review model…</p>;
  const r = report;
  return (
    <div className="learn" data-testid="learn-panel">
      <p className="evaluate-note">
        From {r.reviewed.negatives + r.reviewed.falseNegatives} reviewed candidates ({r.reviewed.negatives} accepted as negatives,{' '}
        {r.reviewed.falseNegatives} rejected or promoted) a logistic model predicts, for each of the {r.unreviewed} unreviewed candidates,
        the probability that it is a false negative, from what the run stored: fused rank and score, each member&apos;s rank and score, the
        cross-encoder logit and how much the members disagree.
      </p>
      {r.notFitted ? (
        <p className="evaluate-empty" data-testid="learn-not-fitted">
          No model yet: it {r.notFitted}.
        </p>
      ) : (
        <>
          <div className="evaluate-counts">
            <div className="evaluate-stat" data-testid="learn-auc">
              <span className="evaluate-stat-value">{r.cv!.auc.estimate.toFixed(3)}</span>
              <span className="evaluate-stat-label">
                AUC, {r.cv!.folds}-fold cross-validated (95%: {r.cv!.auc.low.toFixed(3)}–{r.cv!.auc.high.toFixed(3)})
              </span>
            </div>
            <div className="evaluate-stat">
              <span className="evaluate-stat-value">{r.cv!.brier.toFixed(3)}</span>
              <span className="evaluate-stat-label">Brier score (lower is better)</span>
            </div>
          </div>
          <table className="evaluate-metrics" data-testid="learn-reliability">
            <caption>Reliability: predicted probability vs what reviewers decided (held-out predictions)</caption>
            <thead>
              <tr>
                <th>predicted</th>
                <th>candidates</th>
                <th>mean predicted</th>
                <th>observed false negatives</th>
              </tr>
            </thead>
            <tbody>
              {r.cv!.reliability.map((b) => (
                <tr key={b.low}>
                  <th scope="row">
                    {b.low.toFixed(1)}–{b.high.toFixed(1)}
                  </th>
                  <td>{b.count}</td>
                  <td>{pct(b.meanPredicted)}</td>
                  <td>
                    {pct(b.observed)} ({pct(b.observedLow)}–{pct(b.observedHigh)})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h4>False negatives among the unreviewed candidates</h4>
      <ul className="learn-estimates">
        <li data-testid="learn-estimate-model">
          Model: {r.modelEstimate ? `${range(r.modelEstimate)}, about ${Math.round(r.modelEstimate.expected)} of ${r.modelEstimate.n}` : 'not available until the model is fitted'}
        </li>
        <li data-testid="learn-estimate-audit">
          Audit sample:{' '}
          {r.audit.estimate
            ? `${range(r.audit.estimate)} from the first ${r.audit.audited} candidates of the audit order (${r.audit.falseNegatives} false negatives); unbiased whatever the model does`
            : 'none yet: review in the order “audit: uniform random sample” on the Review page; every decided candidate at the start of that order counts'}
        </li>
      </ul>
      {preview && (
        <div className="learn-threshold">
          <label>
            Leave out unreviewed candidates with a predicted probability above{' '}
            <input
              type="range"
              min={0.05}
              max={0.95}
              step={0.05}
              value={threshold}
              onChange={(e) => setThreshold(Number(e.target.value))}
              aria-label="False-negative threshold"
              data-testid="learn-threshold"
            />{' '}
            <output>{threshold.toFixed(2)}</output>
          </label>
          <p data-testid="learn-preview">
            {preview.excluded} of {preview.excluded + preview.kept} unreviewed candidates would be left out (about {preview.expectedFalseNegativesExcluded.toFixed(1)}{' '}
            expected false negatives among them); the {preview.kept} kept are expected to hold {pct(preview.expectedShareKept)} false negatives.
          </p>
          <button
            type="button"
            data-testid="learn-apply"
            onClick={() => void setLearnThreshold(db, run.id, threshold).then(() => setSaved(threshold), (e: unknown) => setSaveError(String(e)))}
          >
            Use {threshold.toFixed(2)} for exports
          </button>{' '}
          {saved !== undefined && (
            <>
              <span data-testid="learn-saved">Exports of this run can leave out candidates above {saved.toFixed(2)} (Export page, “unreviewed”).</span>{' '}
              <button type="button" onClick={() => void setLearnThreshold(db, run.id, undefined).then(() => setSaved(undefined))}>
                Clear
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
}
