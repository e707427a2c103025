// Root component: routes to the project list or a project's page inside the shell.
import { useEffect } from 'react';
import { requestPersistence } from '../db/storage';
import { recoverAtStart } from '../state/recovery';
import { DataPage } from './pages/Data';
import { EvaluatePage } from './pages/Evaluate';
import { ExportPage } from './pages/Export';
import { MinePage } from './pages/Mine';
import { ModelsPage } from './pages/Models';
import { ProjectsPage } from './pages/Projects';
import { ReviewPage } from './pages/Review';
import { Shell } from './shell/Shell';
import { useRoute, type PageName } from './shell/router';

const PAGE_COMPONENTS: Record<PageName, (p: { projectId: string; runId?: string }) => React.ReactNode> = {
  data: DataPage,
  models: ModelsPage,
  mine: MinePage,
  review: ReviewPage,
  evaluate: EvaluatePage,
  export: ExportPage,
};

export function App() {
  const route = useRoute();
  useEffect(() => {
    void requestPersistence();
    // Imports and runs cut short by a closed tab or browser: rolled back / resumed now,
    // whichever page this tab opens on. (Readers never saw the unfinished import's rows.)
    void recoverAtStart();
  }, []);

  if (route.kind === 'projects') {
    return (
      <Shell>
        <ProjectsPage />
      </Shell>
    );
  }
  if (route.kind === 'not-found') {
    return (
      <Shell>
        <section className="page narrow">
          <h1>Page not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <a href="#/">Back to projects</a>.
          </p>
        </section>
      </Shell>
    );
  }
  const Page = PAGE_COMPONENTS[route.page];
  return (
    <Shell projectId={route.projectId} page={route.page}>
      <Page key={route.projectId} projectId={route.projectId} runId={route.runId} />
    </Shell>
  );
}
