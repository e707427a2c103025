// Validation messages under a form, announced to screen readers; nothing when there are none.
// Messages are rendered as text (they may quote imported input).

export function ErrorList(props: { errors: readonly string[]; className?: string }) {
  if (props.errors.length === 0) return null;
  return (
    <ul className={props.className ?? 'error'} role="alert">
      {props.errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}
