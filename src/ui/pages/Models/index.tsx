// Models page: the models this project can use (bundled demo models for every project,
// plus the project's own), their settings, and a quick test that shows which device runs.
import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { getDB } from '../../../db/db';
import type { ModelRecord } from '../../../db/schema';
import { removeFolder } from '../../../runtime/browser/local-folders';
import { seedBundledModels } from '../../../workers/embed/bundled-models';
import { AddModel } from './AddModel';
import { describeSource } from './model-form';
import { ModelTest } from './ModelTest';
import { OrtBuilds } from './OrtBuilds';
import { SettingsEditor } from './SettingsEditor';
import { useEmbedClient } from './useEmbedClient';
import './models.css';

export function ModelsPage(props: { projectId: string; runId?: string }) {
  const { projectId } = props;
  const db = getDB();
  const client = useEmbedClient();
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<{ id: string; panel: 'test' | 'settings' } | null>(null);
  useEffect(() => {
    void seedBundledModels(db);
  }, [db]);
  const models = useLiveQuery(
    async () => (await db.models.toArray()).filter((m) => m.projectId === null || m.projectId === projectId).sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name)),
    [projectId],
  );

  const remove = async (m: ModelRecord) => {
    if (!confirm(`Remove ${m.name} from the list? Stored embeddings stay until the project is deleted.`)) return;
    await db.models.delete(m.id);
    if (m.source.type === 'local') await removeFolder(m.source.folder).catch(() => undefined);
  };

  return (
    <section className="page narrow models-page" data-page="models">
      <div className="page-head">
        <h1>Models</h1>
        {!adding && (
          <button className="primary" onClick={() => setAdding(true)}>
            Add model
          </button>
        )}
      </div>
      <OrtBuilds />
      {adding && <AddModel projectId={projectId} existingNames={(models ?? []).map((m) => m.name)} onDone={() => setAdding(false)} />}
      <table className="table" data-testid="models-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Source</th>
            <th>Settings</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(models ?? []).map((m) => (
            <ModelRow
              key={m.id}
              model={m}
              open={open?.id === m.id ? open.panel : null}
              onOpen={(panel) => setOpen(open?.id === m.id && open.panel === panel ? null : { id: m.id, panel })}
              onRemove={() => void remove(m)}
              client={client}
            />
          ))}
        </tbody>
      </table>
      {models && models.length === 0 && <p className="muted">No models yet.</p>}
    </section>
  );
}

function ModelRow(props: {
  model: ModelRecord;
  open: 'test' | 'settings' | null;
  onOpen: (panel: 'test' | 'settings') => void;
  onRemove: () => void;
  client: ReturnType<typeof useEmbedClient>;
}) {
  const { model: m } = props;
  const s = m.settings;
  const summary =
    m.kind === 'cross-encoder'
      ? `${s.dtype} · ${s.maxLength} tokens · ${s.device}`
      : `${s.dtype} · ${s.pooling}${s.from?.pooling ? ` (from ${s.from.pooling})` : ''}${s.normalize ? ' · normalised' : ' · raw (dot product)'} · ${s.maxLength} tokens · ${s.device}` +
        (s.queryPrefix || s.docPrefix ? ` · prefixes ${JSON.stringify(s.queryPrefix)}/${JSON.stringify(s.docPrefix)}` : '');
  return (
    <>
      <tr data-model={m.name}>
        <td>
          <strong>{m.name}</strong>
          {m.projectId === null && <span className="badge">bundled</span>}
        </td>
        <td>{m.kind}</td>
        <td className="mono">{describeSource(m.source)}</td>
        <td>{summary}</td>
        <td className="actions">
          <button onClick={() => props.onOpen('test')} data-testid="test-model">
            Test
          </button>
          <button onClick={() => props.onOpen('settings')}>Settings</button>
          {m.projectId !== null && (
            <button className="danger-text" onClick={props.onRemove}>
              Remove
            </button>
          )}
        </td>
      </tr>
      {props.open && (
        <tr className="model-panel">
          <td colSpan={5}>
            {props.open === 'test' ? <ModelTest model={m} client={props.client} /> : <SettingsEditor model={m} onDone={() => props.onOpen('settings')} />}
          </td>
        </tr>
      )}
    </>
  );
}
