// Placeholder until the Mine page lands; the shell mounts it at #/p/<projectId>/mine.
export function MinePage(props: { projectId: string; runId?: string }) {
  return <section data-page="mine">Mine — project {props.projectId}</section>;
}
