// Projects: list, create, open, rename, delete (with confirmation), and the one-click demo.
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { fmtDate, fmtInt } from '../../components/format';
import { useAsync } from '../../components/useAsync';
import { getDB } from '../../../db/db';
import { basicCounts } from '../../../db/corpus';
import { createProject, deleteProject, listProjects, renameProject, touchProject } from '../../../db/projects';
import type { ProjectRecord } from '../../../db/schema';
import { openDemo, type DemoSet } from '../../../state/demo';
import { navigate, projectPath } from '../../shell/router';
import { isImeKey } from '../../actions/keys';

interface Row {
  project: ProjectRecord;
  documents: number;
  queries: number;
}

async function loadRows(): Promise<Row[]> {
  const db = getDB();
  const projects = await listProjects(db);
  return Promise.all(
    projects.map(async (project) => {
      const c = await basicCounts(db, project.id);
      return { project, documents: c.documents, queries: c.queries };
    }),
  );
}

export function ProjectsPage(_props: { projectId?: string; runId?: string } = {}) {
  const [version, setVersion] = useState(0);
  const rows = useAsync(loadRows, [version]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [renaming, setRenaming] = useState<{ id: string; name: string }>();
  const [deleting, setDeleting] = useState<ProjectRecord>();
  const [busy, setBusy] = useState(false);
  const refresh = () => setVersion((v) => v + 1);

  const open = async (id: string) => {
    await touchProject(getDB(), id);
    navigate(projectPath(id, 'data'));
  };
  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const p = await createProject(getDB(), name);
      setName('');
      navigate(projectPath(p.id, 'data'));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const demo = async (set: DemoSet = 'en') => {
    setBusy(true);
    setError(undefined);
    try {
      const { projectId } = await openDemo(set);
      navigate(projectPath(projectId, 'data'));
    } catch (err) {
      setError(`Could not open the demo: ${err instanceof Error ? err.message : String(err)}`);
      setBusy(false);
    }
  };
  const saveRename = async () => {
    if (!renaming) return;
    try {
      await renameProject(getDB(), renaming.id, renaming.name);
      setRenaming(undefined);
      refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const confirmDelete = async () => {
    if (!deleting) return;
    const p = deleting;
    setDeleting(undefined);
    await deleteProject(getDB(), p.id);
    refresh();
  };

  const list = rows.value ?? [];
  const firstRun = !rows.loading && list.length === 0;
  const hasDemo = list.some((r) => r.project.demo && !r.project.demoSet);
  const hasJaDemo = list.some((r) => r.project.demo && r.project.demoSet === 'ja');
  const jaButton = (
    <button type="button" onClick={() => void demo('ja')} disabled={busy} lang="ja" title="6,604 Debian package descriptions in Japanese, 1,120 queries; BM25 with Japanese word segmentation">
      Open Japanese demo（日本語デモ）
    </button>
  );

  return (
    <section className="page narrow" data-page="projects">
      <div className="page-head">
        <h1>Projects</h1>
        {!firstRun && (!hasDemo || !hasJaDemo) && (
          <span>
            {!hasDemo && (
              <button type="button" onClick={() => void demo()} disabled={busy}>
                Open demo
              </button>
            )}{' '}
            {!hasJaDemo && jaButton}
          </span>
        )}
      </div>

      {firstRun && (
        <div className="card hero">
          <h2>Start with the demo</h2>
          <p>
            300 Debian package summaries as queries, 4,000 package descriptions, and their known positives. Mine hard
            negatives with small bundled models, review them, export a training set. Everything stays in this browser.
          </p>
          <button type="button" className="primary" onClick={() => void demo()} disabled={busy}>
            {busy ? 'Opening…' : 'Open demo'}
          </button>{' '}
          {jaButton}
        </div>
      )}

      <form className="card row-form" onSubmit={create}>
        <label htmlFor="new-project">New project</label>
        <input id="new-project" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Support tickets v2" />
        <button type="submit" className="primary" disabled={!name.trim()}>
          Create
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      {list.length > 0 && (
        <table className="table" data-testid="project-list">
          <thead>
            <tr>
              <th>Name</th>
              <th className="num">Documents</th>
              <th className="num">Queries</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map(({ project: p, documents, queries }) => (
              <tr key={p.id}>
                <td>
                  {renaming?.id === p.id ? (
                    <input
                      autoFocus
                      aria-label="Project name"
                      value={renaming.name}
                      onChange={(e) => setRenaming({ id: p.id, name: e.target.value })}
                      onKeyDown={(e) => {
                        if (isImeKey(e.nativeEvent)) return; // Enter/Escape confirm or cancel the IME conversion
                        if (e.key === 'Enter') void saveRename();
                        if (e.key === 'Escape') setRenaming(undefined);
                      }}
                      onBlur={() => void saveRename()}
                    />
                  ) : (
                    <a href={'#' + projectPath(p.id, 'data')} onClick={(e) => (e.preventDefault(), void open(p.id))}>
                      {p.name}
                    </a>
                  )}
                  {p.demo && <span className="badge">demo</span>}
                </td>
                <td className="num">{fmtInt(documents)}</td>
                <td className="num">{fmtInt(queries)}</td>
                <td className="muted">{fmtDate(p.updatedAt ?? p.createdAt)}</td>
                <td className="actions">
                  <button type="button" onClick={() => void open(p.id)}>
                    Open
                  </button>
                  <button type="button" onClick={() => setRenaming({ id: p.id, name: p.name })}>
                    Rename
                  </button>
                  <button type="button" className="danger-text" onClick={() => setDeleting(p)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {deleting && (
        <ConfirmDialog title="Delete project?" confirmLabel="Delete" danger onConfirm={() => void confirmDelete()} onCancel={() => setDeleting(undefined)}>
          <p>
            <strong>{deleting.name}</strong> and everything in it (documents, queries, runs, review decisions) will be
            removed from this browser. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
