export function ProgressBar(props: { value: number; max: number; label?: string }) {
  const pct = props.max > 0 ? Math.min(100, (100 * props.value) / props.max) : 0;
  return (
    <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} aria-label={props.label}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
