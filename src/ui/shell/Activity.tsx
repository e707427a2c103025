// The shell's activity indicator: every long job running now (imports of this tab, mining
// runs of any tab, exports being built), with its progress, a smoothed ETA and a link to
// the page that shows it, whichever page the user is on.
import { useLiveQuery } from 'dexie-react-hooks';
import { getDB } from '../../db/db';
import type { RunRecord } from '../../db/schema';
import { useImportStore, type ImportJob } from '../../state/imports';
import { useActivityStore } from '../../state/activity';
import { useLatestLiveProgress } from '../../workers/mine/client';
import { stageNames } from '../../workers/mine/pipeline-stages';
import { stageLabel } from '../pages/Mine/RunProgress';
import { formatEta } from '../pages/Mine/useStageRates';
import { useSmoothedEta } from '../components/useEta';
import { projectPath } from './router';

function Item(props: { kind: string; href: string; label: string; done?: number; total?: number; detail?: string }) {
  const { done, total } = props;
  const known = done !== undefined && total !== undefined && total > 0;
  const { etaS } = useSmoothedEta(`${props.kind}|${props.href}|${props.label}`, done ?? 0, total ?? 0);
  const pct = known ? Math.min(100, (100 * done) / total) : undefined;
  return (
    <a className="activity-item" href={'#' + props.href} data-kind={props.kind} title={props.detail ?? props.label}>
      <span className="activity-label">{props.label}</span>
      <span className={`activity-bar${pct === undefined ? ' indeterminate' : ''}`} aria-hidden>
        <span style={pct === undefined ? undefined : { width: `${pct}%` }} />
      </span>
      <span className="activity-count">
        {pct !== undefined ? `${Math.floor(pct)}%` : ''}
        {etaS !== undefined ? ` · ${formatEta(etaS)} left` : ''}
      </span>
    </a>
  );
}

function ImportItem({ projectId, job }: { projectId: string; job: ImportJob }) {
  const p = job.progress;
  return (
    <Item
      kind="import"
      href={projectPath(projectId, 'data')}
      label={`Import · ${job.label}`}
      done={p?.bytesDone}
      total={p?.bytesTotal}
      detail={p ? `${p.file}: ${p.rows.toLocaleString()} rows stored` : undefined}
    />
  );
}

/** The stage a run is in: this tab's live progress, else the first stored stage not done. */
function RunItem({ run }: { run: RunRecord }) {
  const live = useLatestLiveProgress(run.id);
  const stages = stageNames(run);
  const stored = stages.find((s) => run.stages[s]?.status !== 'done');
  const stage = live && live.stage === stored ? live.stage : (stored ?? live?.stage ?? stages[0]);
  const st = run.stages[stage];
  const done = Math.max(st?.done ?? 0, live?.stage === stage ? live.done : 0);
  const total = st?.total || (live?.stage === stage ? live.total : 0);
  const index = stages.indexOf(stage) + 1;
  return (
    <Item
      kind="mining"
      href={projectPath(run.projectId, 'mine', run.id)}
      label={`Mining · ${stageLabel(stage)} (${index}/${stages.length})`}
      done={done}
      total={total}
      detail={`${run.name}: ${done.toLocaleString()} / ${total.toLocaleString()}`}
    />
  );
}

export function Activity() {
  const imports = useImportStore((s) => s.jobs);
  const pageJobs = useActivityStore((s) => s.jobs);
  const runs = useLiveQuery(async () => (await getDB().runs.toArray()).filter((r) => r.status === 'running'), []);
  const running = Object.entries(imports).filter((e): e is [string, ImportJob] => Boolean(e[1]?.running));
  const n = running.length + (runs?.length ?? 0) + pageJobs.length;
  return (
    <div className="activity" role="status" aria-live="polite" aria-label="Running jobs" data-testid="activity" data-count={n}>
      {running.map(([pid, job]) => (
        <ImportItem key={`import-${pid}`} projectId={pid} job={job} />
      ))}
      {(runs ?? []).map((r) => (
        <RunItem key={r.id} run={r} />
      ))}
      {pageJobs.map((j) => (
        <Item key={j.id} kind={j.kind} href={j.href} label={j.label} />
      ))}
    </div>
  );
}
