// Dataset card (README.md) for an exported training set: YAML front matter that the
// Hugging Face Hub reads, then what the data is, how it was mined and reviewed.

export interface DatasetCardInfo {
  /** Heading; default "Hard negatives mined with Quarry". */
  title?: string;
  source: { name: string; documents: number; queries: number; split?: string };
  /** Retrieval members, e.g. `{ name: 'pkgs-minilm', spec: 'dense:models/pkgs-minilm:dtype=fp32' }`. */
  models: Array<{ name: string; spec?: string }>;
  fusion?: string;
  reranker?: string;
  /** Selection strategy as given, e.g. `percpos:0.95`. */
  strategy: string;
  /** Any other settings worth recording (range, negatives per query, chunking...). */
  settings?: Record<string, string | number | boolean>;
  format: string;
  counts: { examples: number; rows: number; negatives: number; skipped?: number };
  review?: {
    accepted: number;
    rejected: number;
    promoted?: number;
    skipped?: number;
    pending?: number;
    reviewers?: number;
    /** Inter-annotator agreement, when two reviewers overlapped. */
    kappa?: number;
  };
  /** ISO date; left out when not given so cards are reproducible in tests. */
  createdAt?: string;
  tool?: string;
  /** Hub license id of the source data (e.g. `mit`, `cc-by-4.0`); `other` when not stated. */
  license?: string;
  /** ISO 639-1 codes of the texts (e.g. `en`, `ja`); left out when not stated. */
  language?: string[];
}

/** The Hub's size_categories bucket for a row count. */
export function sizeCategory(rows: number): string {
  const bounds: Array<[number, string]> = [
    [1e3, 'n<1K'],
    [1e4, '1K<n<10K'],
    [1e5, '10K<n<100K'],
    [1e6, '100K<n<1M'],
    [1e7, '1M<n<10M'],
    [1e8, '10M<n<100M'],
    [1e9, '100M<n<1B'],
  ];
  return bounds.find(([b]) => rows < b)?.[1] ?? 'n>1T';
}

/** Hub task tags per export format: what a trainer of that format learns. */
function formatTags(format: string): { categories: string[]; ids: string[]; tags: string[] } {
  const reranker = format === 'lce' || format === 'lce-text' || format === 'flag-reranker' || format === 'st-labeled-list';
  const tags = format.startsWith('st-') || format === 'parquet' || format === 'csv' ? ['sentence-transformers'] : format.startsWith('flag') ? ['flagembedding'] : format === 'tevatron' ? ['tevatron'] : [];
  return {
    categories: reranker ? ['text-ranking', 'text-retrieval'] : ['sentence-similarity', 'text-retrieval', 'text-ranking'],
    ids: ['document-retrieval'],
    tags: [...tags, 'hard-negatives', 'quarry'],
  };
}

const n = (x: number) => x.toLocaleString('en-US');

/**
 * A value as literal Markdown text inside a line (table cell, heading, sentence): the ASCII
 * punctuation that can open markup mid-line (links and images `[`, emphasis `*` `_` `~`,
 * code `` ` ``, raw HTML and autolinks `<`, entities `&`, table cells `|`, closing `#`) is
 * backslash-escaped, as CommonMark allows for any ASCII punctuation, and line breaks
 * become spaces. A project named `[x](javascript:…)` or `<img onerror=…>` stays that text
 * on the Hugging Face Hub.
 */
export function markdownText(value: unknown): string {
  return String(value)
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_[\]<>|~&#]/g, (c) => `\\${c}`);
}

/** A value as a Markdown code span: fenced with one more backtick than its longest run of them. */
export function codeSpan(value: unknown): string {
  const text = String(value).replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || text.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const cell = markdownText;

function yamlString(s: string): string {
  return JSON.stringify(s); // JSON strings are valid YAML double-quoted scalars
}

export function datasetCard(info: DatasetCardInfo): string {
  const title = info.title ?? 'Hard negatives mined with Quarry';
  const lines: string[] = [];
  const t = formatTags(info.format);
  const list = (key: string, values: string[]) => (values.length ? [`${key}:`, ...values.map((v) => `- ${yamlString(v)}`)] : []);
  lines.push('---');
  lines.push(`license: ${yamlString(info.license ?? 'other')}`);
  lines.push(...list('language', info.language ?? []));
  lines.push(...list('size_categories', [sizeCategory(info.counts.rows)]));
  lines.push(...list('task_categories', t.categories));
  lines.push(...list('task_ids', t.ids));
  lines.push(...list('tags', t.tags));
  lines.push(`pretty_name: ${yamlString(title)}`);
  lines.push('---', '', `# ${cell(title)}`, '');
  lines.push(
    `Training examples for embedding models / rerankers, mined from **${cell(info.source.name)}**` +
      (info.source.split ? ` (split ${codeSpan(info.source.split)})` : '') +
      ` with ${cell(info.tool ?? 'Quarry')}. Format: ${codeSpan(info.format)}.`,
  );
  if (info.createdAt) lines.push('', `Created: ${cell(info.createdAt)}`);
  if (!info.license) lines.push('', 'License: not stated (`other`): set `license` to the license of the source data before publishing.');
  lines.push('', '## Counts', '', '| | count |', '|---|---:|');
  lines.push(`| documents in source | ${n(info.source.documents)} |`);
  lines.push(`| queries in source | ${n(info.source.queries)} |`);
  lines.push(`| examples (queries exported) | ${n(info.counts.examples)} |`);
  lines.push(`| rows | ${n(info.counts.rows)} |`);
  lines.push(`| negatives | ${n(info.counts.negatives)} |`);
  if (info.counts.skipped !== undefined) lines.push(`| queries skipped | ${n(info.counts.skipped)} |`);

  lines.push('', '## Mining', '', '| setting | value |', '|---|---|');
  for (const m of info.models) lines.push(`| retriever | ${cell(m.name)}${m.spec ? ` (${codeSpan(m.spec)})` : ''} |`);
  if (info.fusion) lines.push(`| fusion | ${cell(info.fusion)} |`);
  if (info.reranker) lines.push(`| cross-encoder (denoising) | ${cell(info.reranker)} |`);
  lines.push(`| selection strategy | ${cell(info.strategy)} |`);
  for (const [k, v] of Object.entries(info.settings ?? {})) lines.push(`| ${cell(k)} | ${cell(v)} |`);

  if (info.review) {
    const r = info.review;
    const judged = r.accepted + r.rejected + (r.promoted ?? 0);
    lines.push('', '## Human review', '', '| decision | count |', '|---|---:|');
    lines.push(`| accepted as negative | ${n(r.accepted)} |`);
    lines.push(`| rejected | ${n(r.rejected)} |`);
    if (r.promoted !== undefined) lines.push(`| promoted to positive | ${n(r.promoted)} |`);
    if (r.skipped !== undefined) lines.push(`| skipped | ${n(r.skipped)} |`);
    if (r.pending !== undefined) lines.push(`| not reviewed | ${n(r.pending)} |`);
    if (judged > 0) lines.push('', `Rejection rate: ${((100 * r.rejected) / judged).toFixed(1)}% of ${n(judged)} judged candidates.`);
    if (r.reviewers !== undefined) lines.push(`Reviewers: ${n(r.reviewers)}.`);
    if (r.kappa !== undefined) lines.push(`Agreement (Cohen's kappa): ${r.kappa.toFixed(3)}.`);
  } else {
    lines.push('', '## Human review', '', 'None: negatives are exported as mined.');
  }
  return lines.join('\n') + '\n';
}
