// Key caps for an action, taken from the action registry (never typed by hand).
import { keyCaps } from '../../actions/keys';
import { reviewActions } from '../../actions/review';

export function Keys({ binding }: { binding: string }) {
  return (
    <span className="rv-keys">
      {keyCaps(binding).map((k, i) => (
        <kbd key={i}>{k}</kbd>
      ))}
    </span>
  );
}

/** The first key of a named action. */
export function ActionKey({ name }: { name: string }) {
  const a = reviewActions.find((x) => x.name === name);
  return a ? <Keys binding={a.keys[0]} /> : null;
}

export function actionLabel(name: string): string {
  return reviewActions.find((x) => x.name === name)?.label ?? name;
}

function actionHint(name: string): string {
  const a = reviewActions.find((x) => x.name === name);
  return a?.hint ?? a?.label ?? name;
}

/** The hint bar at the bottom of the page. */
export function KeyHintBar({ names }: { names: string[] }) {
  return (
    <footer className="rv-hintbar" aria-label="Keyboard shortcuts">
      {names.map((n) => (
        <span key={n} className="rv-hint" title={actionLabel(n)}>
          <ActionKey name={n} /> {actionHint(n)}
        </span>
      ))}
    </footer>
  );
}
