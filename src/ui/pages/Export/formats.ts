// What each export format is for, shown next to the picker.
import type { ExportFormat } from '../../../core/formats/export/index.ts';

export const FORMAT_INFO: Record<ExportFormat, { label: string; help: string }> = {
  'st-triplet': { label: 'sentence-transformers triplets (JSONL)', help: '{anchor, positive, negative}: one row per negative. MultipleNegativesRankingLoss, TripletLoss.' },
  'st-ntuple': { label: 'sentence-transformers n-tuples (JSONL)', help: '{anchor, positive, negative_1..n}: one row per query, fixed n (queries with fewer negatives are left out).' },
  'st-ntuple-scores': {
    label: 'sentence-transformers n-tuples with scores (JSONL)',
    help: '{anchor, positive, negative_1..n, score}: score lists the cross-encoder logits of the positive and each negative, the label MarginMSE and distillation losses read. Queries without those scores are left out.',
  },
  'st-labeled-list': {
    label: 'sentence-transformers labeled lists (JSONL)',
    help: '{anchor, documents, labels}: the positive then the negatives, labels [1, 0, …]. Listwise cross-encoder losses (LambdaLoss, ListNet).',
  },
  'st-labeled-pair': { label: 'sentence-transformers labeled pairs (JSONL)', help: '{sentence1, sentence2, label}: 1 for positives, 0 for negatives. CoSENT, contrastive or binary losses.' },
  flag: {
    label: 'FlagEmbedding embedder (JSONL)',
    help: '{query, pos, neg, pos_scores, neg_scores, prompt}: scores are the cross-encoder logits, for distillation; prompt is the query instruction the embedder fine-tuning reads.',
  },
  'flag-reranker': {
    label: 'FlagEmbedding reranker (JSONL)',
    help: '{query, pos, neg, pos_scores, neg_scores, query_prompt}: the same rows for reranker fine-tuning; an instruction goes in query_prompt, because its LLM reranker reads prompt as the yes/no question.',
  },
  lce: {
    label: 'LCE groups for luyug/Reranker (JSONL, token ids)',
    help: "{qry, pos, neg} as luyug/Reranker reads them: query and passages as token ids of the run's reranker tokenizer (no special tokens, cut to its max length); 1 positive + n−1 negatives per group.",
  },
  tevatron: {
    label: 'Tevatron (JSONL)',
    help: '{query_id, query, positive_passages, negative_passages} with {docid, title, text} passages, as Tevatron trains dense retrievers from.',
  },
  'lce-text': { label: 'LCE groups as text (JSONL)', help: '{qry, pos, neg} groups like lce but with the texts as strings, for trainers that tokenise themselves (luyug/Reranker itself needs lce).' },
  csv: { label: 'CSV (spreadsheet-safe)', help: 'Triplets, n-tuples or labeled pairs as CSV; cells starting with = + - @ are prefixed with a quote.' },
  parquet: { label: 'Parquet (n-tuples)', help: 'anchor, positive, negative_1..n string columns, readable by Hugging Face datasets.' },
};
