// Placeholder until the Models page lands; the shell mounts it at #/p/<projectId>/models.
export function ModelsPage(props: { projectId: string; runId?: string }) {
  return <section data-page="models">Models — project {props.projectId}</section>;
}
