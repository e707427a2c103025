// Placeholder until the Data page lands; the shell mounts it at #/p/<projectId>/data.
export function DataPage(props: { projectId: string; runId?: string }) {
  return <section data-page="data">Data — project {props.projectId}</section>;
}
