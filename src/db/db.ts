// The Dexie database. Table layouts are versioned in migrations.ts.
import Dexie, { type Table } from 'dexie';
import type {
  CandidateRecord,
  ChunkRecord,
  CorpusBlockRecord,
  CorpusIndexRecord,
  DecisionEventRecord,
  DecisionRecord,
  EmbeddingBlockRecord,
  ImportRecord,
  ImportReportRecord,
  ImportStagedRecord,
  JobRecord,
  ModelRecord,
  ProjectRecord,
  QrelRecord,
  RunRecord,
  ThroughputRecord,
} from './schema';
import { applyMigrations } from './migrations';

export class QuarryDB extends Dexie {
  projects!: Table<ProjectRecord, string>;
  /** Documents, queries and imported qrels, in blocks of rows (schema v5). */
  corpusBlocks!: Table<CorpusBlockRecord, [string, string, string]>;
  corpusIndex!: Table<CorpusIndexRecord, [string, string, string]>;
  /** Qrels added by review (promoted candidates); imported ones are in corpusBlocks. */
  qrels!: Table<QrelRecord, [string, string, string, string]>;
  chunks!: Table<ChunkRecord, [string, string, string, number]>;
  models!: Table<ModelRecord, string>;
  embeddings!: Table<EmbeddingBlockRecord, [string, string, number]>;
  runs!: Table<RunRecord, string>;
  candidates!: Table<CandidateRecord, [string, string, string]>;
  decisions!: Table<DecisionRecord, [string, string, string, string]>;
  decisionEvents!: Table<DecisionEventRecord, number>;
  importReports!: Table<ImportReportRecord, number>;
  jobs!: Table<JobRecord, string>;
  imports!: Table<ImportRecord, string>;
  importStaged!: Table<ImportStagedRecord, [string, number]>;
  throughput!: Table<ThroughputRecord, [string, string]>;

  constructor(name = 'quarry', options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    applyMigrations(this);
  }
}

let shared: QuarryDB | null = null;
/** The app's database (one per page or worker). */
export function getDB(): QuarryDB {
  shared ??= new QuarryDB();
  return shared;
}
