// Progress of one run: a row per stage (chunk, embed per member, retrieve per member,
// evaluate, select, rerank) with a bar, counts, items/s and ETA; cancel / resume.
import type { RunRecord } from '../../../db/schema';
import { stageNames } from '../../../workers/mine/pipeline-stages';
import { scoreSourceText } from '../../../workers/mine/config';
import { useLiveProgress } from '../../../workers/mine/client';
import { formatEta, useStageRates } from './useStageRates';
import { useSmoothedEta } from '../../components/useEta';
import { formatDuration } from '../../../core/mining/remine-cost';

const STAGE_LABEL: Record<string, string> = {
  chunk: 'Chunk documents',
  embed: 'Embed',
  retrieve: 'Retrieve',
  evaluate: 'Evaluate members and ensemble',
  select: 'Fuse and select negatives',
  rerank: 'Cross-encoder denoise',
};

export function stageLabel(stage: string): string {
  const [kind, member] = stage.split(':');
  const base = STAGE_LABEL[kind] ?? kind;
  return member ? `${base} · ${member}` : base;
}

function StageRow({ run, stage, rate, etaS }: { run: RunRecord; stage: string; rate?: number; etaS?: number | null }) {
  const p = run.stages[stage];
  const live = useLiveProgress(run.id, stage);
  const done = Math.max(p?.done ?? 0, live?.done ?? 0);
  const total = p?.total || live?.total || 0;
  const finished = p?.status === 'done';
  const pct = finished ? 100 : total ? Math.min(100, (100 * done) / total) : 0;
  // A smoothed rate for the ETA (a raw per-batch rate makes it jump); the live rate is shown.
  const smooth = useSmoothedEta(`${run.id}|${stage}`, done, total);
  const r = live?.rate ?? rate;
  const eta = smooth.etaS ?? (live?.rate && total ? (total - done) / live.rate : etaS);
  const state = finished ? 'done' : p ? (run.status === 'running' ? 'running' : 'stopped') : 'waiting';
  return (
    <li className={`mine-stage mine-stage-${state}`} data-stage={stage} data-state={state}>
      <span className="mine-stage-name">{stageLabel(stage)}</span>
      <span className="mine-bar" aria-hidden>
        <span style={{ width: `${pct}%` }} />
      </span>
      <span className="mine-stage-count">
        {total ? `${done.toLocaleString()} / ${total.toLocaleString()}` : finished ? 'done' : ''}
      </span>
      <span className="mine-stage-rate">
        {!finished && r ? `${r >= 10 ? Math.round(r) : r.toFixed(1)}/s` : ''}
        {!finished && eta ? ` · ${formatEta(eta)} left` : ''}
        {live?.device ? ` · ${live.device}` : ''}
      </span>
      {live?.notice && (
        <span className="mine-stage-notice" data-testid="device-notice">
          {live.notice}
        </span>
      )}
    </li>
  );
}

export function RunProgress(props: { run: RunRecord; active: boolean; onCancel(): void; onResume(): void }) {
  const { run } = props;
  const rates = useStageRates(run);
  const stages = stageNames(run);
  return (
    <section className="mine-progress" data-run={run.id} data-status={run.status}>
      <header>
        <h3>{run.name}</h3>
        <span className={`mine-status mine-status-${run.status}`} data-testid="run-status">
          {run.status}
        </span>
        {props.active && run.status === 'running' && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        {!props.active && (run.status === 'cancelled' || run.status === 'failed' || run.status === 'running' || run.status === 'pending') && (
          <button type="button" onClick={props.onResume}>
            Resume
          </button>
        )}
      </header>
      <p className="mine-muted" data-testid="run-score-source" data-source={run.config.scoreSource ?? 'fused'}>
        Strategy {run.config.strategy} on {scoreSourceText(run.config)}
      </p>
      {run.status === 'done' && run.timing?.finishedAt !== undefined && (
        <p className="mine-muted" data-testid="run-timing" data-ms={run.timing.finishedAt - run.timing.startedAt}>
          Mined in {formatDuration((run.timing.finishedAt - run.timing.startedAt) / 1000)}
        </p>
      )}
      {run.error && <p className="mine-error">{run.error}</p>}
      <ol className="mine-stages">
        {stages.map((s) => (
          <StageRow key={s} run={run} stage={s} rate={rates[s]?.rate} etaS={rates[s]?.etaS} />
        ))}
      </ol>
    </section>
  );
}
