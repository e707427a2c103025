// One Dexie DBCore middleware that replaces some operations of every table: the shape the
// test-support wrappers (fault-injection.ts, read-counter.ts) share.
import type { DBCoreTable } from 'dexie';
import type { QuarryDB } from './db';

/** Installs `wrap` on every table of `db`; call before the database is first opened. */
export function wrapTables(db: QuarryDB, name: string, wrap: (tableName: string, table: DBCoreTable) => Partial<DBCoreTable>): void {
  db.use({
    stack: 'dbcore',
    name,
    create: (down) => ({
      ...down,
      table: (tableName) => {
        const t = down.table(tableName);
        return { ...t, ...wrap(tableName, t) };
      },
    }),
  });
}
