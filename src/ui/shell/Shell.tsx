// The app frame: header (brand, project, page nav, storage) and the page below it.
import { useEffect, type ReactNode } from 'react';
import { useAsync } from '../components/useAsync';
import { getDB } from '../../db/db';
import { getProject } from '../../db/projects';
import { useDataVersion } from '../../state/imports';
import { PAGES, projectPath, type PageName } from './router';
import { StorageMeter } from './StorageMeter';
import { Activity } from './Activity';

const LABELS: Record<PageName, string> = {
  data: 'Data',
  models: 'Models',
  mine: 'Mine',
  review: 'Review',
  evaluate: 'Evaluate',
  export: 'Export',
};

export function Shell(props: { projectId?: string; page?: PageName; children: ReactNode }) {
  const { projectId, page } = props;
  const version = useDataVersion(projectId ?? '');
  const project = useAsync(async () => (projectId ? ((await getProject(getDB(), projectId)) ?? null) : null), [projectId, version]);
  const name = project.value?.name;
  // The tab title names the page (and project), so tabs and history entries are told apart.
  useEffect(() => {
    document.title = [page ? LABELS[page] : 'Projects', name, 'Quarry'].filter(Boolean).join(' · ');
  }, [page, name]);
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/" title="All projects">
          Quarry
        </a>
        {projectId && (
          <>
            <span className="sep">/</span>
            <span className="project-name" data-testid="project-name">
              {name ?? (project.loading ? '…' : 'Unknown project')}
            </span>
            {project.value?.demo && <span className="badge">demo</span>}
            <nav className="tabs" aria-label="Pages">
              {PAGES.map((p) => (
                <a key={p} href={'#' + projectPath(projectId, p)} className={p === page ? 'active' : undefined} aria-current={p === page ? 'page' : undefined}>
                  {LABELS[p]}
                </a>
              ))}
            </nav>
          </>
        )}
        <span className="spacer" />
        <Activity />
        <StorageMeter />
      </header>
      <main className="content">{props.children}</main>
    </div>
  );
}
