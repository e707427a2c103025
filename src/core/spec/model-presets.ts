// Settings of common embedding-model families, as their model cards use them. A preset fills
// the Models page's pooling, normalisation and prefixes; the folder's own
// sentence-transformers files (st-metadata.ts) say the same for folders that ship them.
import type { Pooling } from './member-spec';

export interface ModelPreset {
  id: string;
  label: string;
  pooling: Pooling;
  normalize: boolean;
  queryPrefix: string;
  docPrefix: string;
  /** Where the values come from. */
  source: string;
}

export const MODEL_PRESETS: readonly ModelPreset[] = [
  {
    id: 'e5',
    label: 'E5 (intfloat/e5-*, multilingual-e5-*)',
    pooling: 'mean',
    normalize: true,
    queryPrefix: 'query: ',
    docPrefix: 'passage: ',
    source: 'intfloat/e5 model cards: "query: " and "passage: " prefixes, average pooling',
  },
  {
    id: 'bge',
    label: 'BGE English v1.5 (BAAI/bge-*-en-v1.5)',
    pooling: 'cls',
    normalize: true,
    queryPrefix: 'Represent this sentence for searching relevant passages: ',
    docPrefix: '',
    source: 'BAAI/bge model cards: CLS pooling, the query instruction for retrieval, none for passages',
  },
  {
    id: 'gte',
    label: 'GTE (thenlper/gte-*)',
    pooling: 'mean',
    normalize: true,
    queryPrefix: '',
    docPrefix: '',
    source: 'thenlper/gte model cards: average pooling, no prefixes',
  },
  {
    id: 'minilm',
    label: 'MiniLM (all-MiniLM-*, paraphrase-MiniLM-*)',
    pooling: 'mean',
    normalize: true,
    queryPrefix: '',
    docPrefix: '',
    source: 'sentence-transformers/all-MiniLM-L6-v2: mean pooling, Normalize module',
  },
];

export function findPreset(id: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((p) => p.id === id);
}
