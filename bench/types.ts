// Bench harness contract: every module in bench/rows/*.ts exports
//   export const name: string;
//   export async function run(): Promise<Row[]>;
// and bench/run.ts prints all rows of one run as one table.

export interface Row {
  /** What was measured, e.g. "import: Debian corpus+queries+qrels → IndexedDB (Chromium)". */
  row: string;
  value: number | string;
  unit?: string;
  /** Conditions and secondary figures, e.g. "64,553 docs in 5.1 s". */
  detail?: string;
}

export interface BenchModule {
  name: string;
  run(): Promise<Row[]>;
}
