// Domain types shared by every layer. Pure data: no DOM, no Dexie, no model runtime.

/** A corpus document (BEIR `_id`, `title`, `text`). */
export interface Doc {
  id: string;
  title: string;
  text: string;
}

/** A query (BEIR `_id`, `text`). */
export interface Query {
  id: string;
  text: string;
}

/** A graded relevance judgement; score > 0 means relevant (BEIR convention). */
export interface Qrel {
  queryId: string;
  docId: string;
  score: number;
}

/** One ranked hit: [docId, score]; lists are sorted by score descending. */
export type Hit = [docId: string, score: number];

export interface RankedList {
  queryId: string;
  hits: Hit[];
}

/** A problem found in an input file: where, and what was expected. */
export interface InputIssue {
  file: string;
  /** 1-based line number (0 when the problem is about the file as a whole). */
  line: number;
  reason: string;
}

/** The text a document is embedded / indexed as: `title: text`, or just `text` when the title is empty. */
export function docText(doc: Pick<Doc, 'title' | 'text'>): string {
  return doc.title ? `${doc.title}: ${doc.text}` : doc.text;
}

/** Fusion methods (CLI `--fusion`). */
export type FusionMethod = 'soft-z' | 'soft-minmax' | 'rrf' | 'max';

/** Candidate flags shown in review. */
export type CandidateFlag = 'suspected-false-negative' | 'near-duplicate' | 'random' | 'duplicate-of-positive';

/** What a reviewer said about a (query, document) pair. */
export type DecisionLabel = 'accept' | 'reject' | 'positive' | 'skip';
