// Placeholder until the Review page lands; the shell mounts it at #/p/<projectId>/review.
export function ReviewPage(props: { projectId: string; runId?: string }) {
  return <section data-page="review">Review — project {props.projectId}</section>;
}
