// Root component: routes to the project list or a project's page inside the shell.
import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { requestPersistence } from '../db/storage';
import { recoverAtStart } from '../state/recovery';
import { ProjectsPage } from './pages/Projects';
import { installExportTestHook } from './pages/Export/testHook';
import { installReviewTestHook } from './pages/Review/testHook';
import { Shell } from './shell/Shell';
import { useRoute, type PageName } from './shell/router';

// Test hooks (only under automation) exist from the start, whichever page loads first.
installReviewTestHook();
installExportTestHook();

type PageProps = { projectId: string; runId?: string; queryId?: string };
// Each project page is its own chunk, loaded when first opened: charts (Evaluate), zip and
// Parquet writers (Export) and the rest stay out of the first load.
const page = (load: () => Promise<ComponentType<PageProps>>) => lazy(async () => ({ default: await load() }));
const PAGE_COMPONENTS: Record<PageName, ComponentType<PageProps>> = {
  data: page(async () => (await import('./pages/Data')).DataPage),
  models: page(async () => (await import('./pages/Models')).ModelsPage),
  mine: page(async () => (await import('./pages/Mine')).MinePage),
  review: page(async () => (await import('./pages/Review')).ReviewPage),
  evaluate: page(async () => (await import('./pages/Evaluate')).EvaluatePage),
  export: page(async () => (await import('./pages/Export')).ExportPage),
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
      <Suspense fallback={<p className="page">Loading…</p>}>
        <Page key={route.projectId} projectId={route.projectId} runId={route.runId} queryId={route.queryId} />
      </Suspense>
    </Shell>
  );
}
