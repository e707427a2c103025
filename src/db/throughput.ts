// Measured throughput of a model on a device (schema v4): written by the Models page test
// and by mining runs (what the embed stage achieved), read by the Mine page's cost estimate.
// One row per (model, device): the latest measurement wins.
import type { QuarryDB } from './db';
import type { ThroughputRecord } from './schema';

/** The throughput table's model key: the Models-list id (or spec model) and the dtype that ran. */
export function throughputModel(model: string, dtype: string): string {
  return `${model}|${dtype}`;
}

export async function recordThroughput(db: QuarryDB, rec: ThroughputRecord): Promise<void> {
  if (!(rec.perS > 0) || !Number.isFinite(rec.perS)) return;
  await db.throughput.put(rec);
}

/** The latest measurement of `model` (throughputModel key) on any device; undefined if never measured. */
export async function latestThroughput(db: QuarryDB, model: string): Promise<ThroughputRecord | undefined> {
  const rows = await db.throughput.where('model').equals(model).toArray();
  return rows.sort((a, b) => b.at - a.at)[0];
}
