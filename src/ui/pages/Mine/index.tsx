// The Mine page: configure a mining run, start it, watch each stage, read the evaluation
// table, and jump to Review. Runs are mined in a Web Worker (src/workers/mine) and stored
// in IndexedDB, so this page only reads them (liveQuery) and sends start/cancel.
import { useEffect, useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { getDB } from '../../../db/db';
import { deleteRun, listRuns } from '../../../db/runs';
import type { MiningConfig } from '../../../db/schema';
import { cancelRun, ensureDemoRun, isRunActive, resumeRun, resumeUnfinished, startRun } from '../../../workers/mine/client';
import { splitsOf } from '../../../workers/mine/data';
import { withBundled } from '../../../workers/mine/bundled';
import { ConfigForm } from './ConfigForm';
import { defaultForm, formToConfig, withLastRunMembers, type MineForm } from './form';
import { RunCost } from './RunCost';
import { MetricsTable } from './MetricsTable';
import { RunList } from './RunList';
import { RunProgress } from './RunProgress';
import { getProject } from '../../../db/projects';
import './mine.css';

export function MinePage(props: { projectId: string; runId?: string }) {
  const { projectId } = props;
  const db = getDB();
  const models = useLiveQuery(
    async () => withBundled((await db.models.toArray()).filter((m) => m.projectId === null || m.projectId === projectId)),
    [projectId],
  );
  const splits = useLiveQuery(() => splitsOf(db, projectId), [projectId]);
  const runs = useLiveQuery(() => listRuns(db, projectId), [projectId]);
  const [form, setForm] = useState<MineForm | null>(null);
  const [active, setActive] = useState<Set<string>>(new Set());
  const [startError, setStartError] = useState('');

  // First render with data: default form; later model additions get a row (off).
  // A new run starts from the members the last run used.
  useEffect(() => {
    if (!models || !splits || !runs) return;
    setForm((f) => {
      const d = defaultForm(models, splits);
      if (!f) return withLastRunMembers(d, runs[0]?.config);
      return { ...f, dense: { ...d.dense, ...f.dense } };
    });
  }, [models, splits, runs]);

  // Runs left unfinished by a reload or a closed tab continue here; the demo project gets
  // its default run if it has none yet and its import has committed (the import itself
  // starts the run when it commits, see state/demo.ts).
  useEffect(() => {
    void (async () => {
      const project = await getProject(db, projectId);
      if (project?.demo) await ensureDemoRun(projectId);
      else await resumeUnfinished(projectId);
    })();
  }, [projectId, db]);

  // Which runs are being mined right now (this tab or another): polls the Web Locks.
  useEffect(() => {
    let stop = false;
    const tick = async () => {
      const ids = new Set<string>();
      for (const r of runs ?? []) if (r.status === 'running' && (await isRunActive(r.id))) ids.add(r.id);
      if (!stop) setActive(ids);
    };
    void tick();
    const t = setInterval(tick, 1000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [runs]);

  const shown = useMemo(() => {
    if (!runs?.length) return undefined;
    return runs.find((r) => r.id === props.runId) ?? runs[0];
  }, [runs, props.runId]);

  const onStart = async (c: MiningConfig) => {
    setStartError('');
    try {
      const id = await startRun(projectId, c);
      location.hash = `#/p/${encodeURIComponent(projectId)}/mine/${encodeURIComponent(id)}`;
    } catch (e) {
      setStartError((e as Error).message);
    }
  };

  const onDelete = async (id: string) => {
    if (!confirm('Delete this run and its candidates? Review decisions are kept.')) return;
    await deleteRun(db, id);
  };

  // The config the form would start, for the cost estimate (null while a field is invalid).
  const draft = useMemo(() => {
    if (!form || !models) return null;
    try {
      return formToConfig(form, models);
    } catch {
      return null;
    }
  }, [form, models]);

  const busy = Boolean(runs?.some((r) => r.status === 'running' && active.has(r.id)));

  return (
    <section data-page="mine" className="mine-page">
      <div className="mine-columns">
        <div className="mine-config">
          <h2>New mining run</h2>
          {form && models && splits ? (
            <>
              <ConfigForm models={models} splits={splits} form={form} onChange={setForm} onStart={onStart} busy={busy} />
              <RunCost projectId={projectId} config={draft} models={models} />
            </>
          ) : (
            <p className="mine-muted">Loading…</p>
          )}
          {startError && (
            <p className="mine-error" role="alert">
              {startError}
            </p>
          )}
        </div>
        <div className="mine-results">
          {shown ? (
            <>
              <RunProgress
                run={shown}
                active={active.has(shown.id)}
                onCancel={() => void cancelRun(shown.id)}
                onResume={() => void resumeRun(shown.id)}
              />
              <MetricsTable run={shown} />
              {shown.status === 'done' && (
                <p>
                  <a className="mine-review-cta" href={`#/p/${encodeURIComponent(projectId)}/review/${encodeURIComponent(shown.id)}`}>
                    Review candidates of this run →
                  </a>
                </p>
              )}
            </>
          ) : (
            <p className="mine-muted">No run selected.</p>
          )}
          <h2>Runs</h2>
          <RunList projectId={projectId} runs={runs ?? []} selected={shown?.id} onDelete={(id) => void onDelete(id)} />
        </div>
      </div>
    </section>
  );
}
