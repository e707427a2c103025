// Web Locks (`navigator.locks`) tell live work from abandoned work without any time
// window: a tab that imports into a project or mines a run holds a lock for exactly as
// long as it works, and the browser releases it when the tab, worker or browser dies.
// Recovery takes the same lock (ifAvailable): if it gets it, nobody is working, and
// whatever the database says is 'running' was interrupted.
//
// Node (CLI, unit tests) has no navigator.locks; there one process is the only user of
// its database, so an in-memory lock table has the same meaning.

/** The part of the Web Locks API Quarry uses (navigator.locks fits it). */
export interface Locks {
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<T> | T): Promise<T>;
}

/** The lock a tab holds while it imports into a project. */
export const importLockName = (projectId: string) => `quarry-import:${projectId}`;

/** In-process locks with Web Locks semantics for `ifAvailable` requests. */
export function memoryLocks(): Locks {
  const held = new Set<string>();
  return {
    async request(name, _options, callback) {
      if (held.has(name)) return callback(null);
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
      }
    },
  };
}

let fallback: Locks | undefined;
/** navigator.locks where it exists (pages, workers), else one in-memory table per process. */
export function getLocks(): Locks {
  const nav = (globalThis as { navigator?: { locks?: Locks } }).navigator;
  if (nav?.locks) return nav.locks;
  fallback ??= memoryLocks();
  return fallback;
}
