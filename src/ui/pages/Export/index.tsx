// Placeholder until the Export page lands; the shell mounts it at #/p/<projectId>/export.
export function ExportPage(props: { projectId: string; runId?: string }) {
  return <section data-page="export">Export — project {props.projectId}</section>;
}
