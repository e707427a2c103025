// The action registry and its manager, after Excalidraw's actions/: each user action is
// one small object (name, label, key bindings, perform); one manager dispatches key
// presses, and the key hints and the `?` help are generated from the same objects, so
// what the screen says a key does is what it does.
import { matchKey, type KeyEventLike } from './keys';

export interface Action<Ctx> {
  name: string;
  label: string;
  /** Short label for the key-hint bar (defaults to label). */
  hint?: string;
  /** Key bindings (see keys.ts); the first is the one shown in hints. */
  keys: string[];
  /** Heading in the help overlay. */
  group: string;
  /** False: the key is ignored and the button disabled. */
  enabled?(ctx: Ctx): boolean;
  perform(ctx: Ctx): void | Promise<void>;
}

export class ActionManager<Ctx> {
  readonly actions: readonly Action<Ctx>[];
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(actions: readonly Action<Ctx>[]) {
    const seen = new Map<string, string>();
    for (const a of actions) {
      for (const k of a.keys) {
        const other = seen.get(k.toLowerCase());
        if (other) throw new Error(`Key "${k}" is bound to both "${other}" and "${a.name}".`);
        seen.set(k.toLowerCase(), a.name);
      }
    }
    this.actions = actions;
  }

  get(name: string): Action<Ctx> | undefined {
    return this.actions.find((a) => a.name === name);
  }

  /** The action a key event triggers, if any. */
  forKey(e: KeyEventLike): Action<Ctx> | undefined {
    return this.actions.find((a) => a.keys.some((k) => matchKey(k, e)));
  }

  /**
   * Runs an action. Actions run strictly one after another: a key pressed while a
   * decision is still being written waits for it, so fast typing can neither reorder
   * nor drop decisions. `ctx` is read when the action starts, not when it was queued.
   */
  run(name: string, getCtx: () => Ctx): Promise<void> {
    const a = this.get(name);
    if (!a) return Promise.reject(new Error(`Unknown action ${name}`));
    this.pending++;
    const p = this.tail.then(async () => {
      const ctx = getCtx();
      if (a.enabled && !a.enabled(ctx)) return;
      await a.perform(ctx);
    });
    this.tail = p.catch(() => undefined).finally(() => this.pending--);
    return p;
  }

  /** Dispatches a key press; returns true when an action took it (caller prevents default). */
  handleKey(e: KeyEventLike, getCtx: () => Ctx, onError: (err: unknown) => void): boolean {
    const a = this.forKey(e);
    if (!a) return false;
    this.run(a.name, getCtx).catch(onError);
    return true;
  }

  /** Actions still queued or running. */
  get busy(): number {
    return this.pending;
  }
}

/** Don't steal keys from text fields. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select' || el.isContentEditable) return true;
  if (tag === 'input') {
    const type = (el as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'range', 'submit'].includes(type);
  }
  return false;
}
