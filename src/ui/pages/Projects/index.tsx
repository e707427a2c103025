// Placeholder until the Projects page lands; the shell mounts it at #/p/<projectId>/projects.
export function ProjectsPage(props: { projectId: string; runId?: string }) {
  return <section data-page="projects">Projects — project {props.projectId}</section>;
}
