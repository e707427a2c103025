// Placeholder until the Evaluate page lands; the shell mounts it at #/p/<projectId>/evaluate.
export function EvaluatePage(props: { projectId: string; runId?: string }) {
  return <section data-page="evaluate">Evaluate — project {props.projectId}</section>;
}
