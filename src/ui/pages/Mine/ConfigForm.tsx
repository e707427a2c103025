// The run configuration form: members and weights, fusion, selection strategy, rank
// range, counts, cross-encoder denoising, chunking and split.
import { useEffect, useState } from 'react';
import type { MiningConfig, ModelRecord } from '../../../db/schema';
import { FUSION_METHODS, memberKind, validateConfig } from '../../../workers/mine/config';
import { describeScoreSource } from '../../../core/mining/score-source';
import { formMembers, formScoreSource, formToConfig, RANGE_HELP, simansHint, STRATEGY_HELP, type MineForm, type StrategyKind } from './form';
import type { RangeSemantics, Sampling } from '../../../core/selection';
import { ErrorList } from '../../components/ErrorList';
import { TOKENIZER_OPTIONS, type TokenizerOption } from '../../../core/bm25';
import { DEFAULT_SENTENCE_CHARS } from '../../../core/chunking';
import { shippedDtypes, type WeightDtype } from '../../../workers/mine/shipped';

/** Dtypes each model ships (probed once); q8 until known, `undefined` from `known` until then. */
function useShipped(models: ModelRecord[]): { shipped: (id: string) => WeightDtype[]; known: (id: string) => WeightDtype[] | undefined } {
  const [known, setKnown] = useState<Record<string, WeightDtype[]>>({});
  useEffect(() => {
    let live = true;
    for (const m of models) void shippedDtypes(m).then((d) => live && setKnown((k) => (k[m.id]?.join() === d.join() ? k : { ...k, [m.id]: d })));
    return () => {
      live = false;
    };
  }, [models]);
  return { shipped: (id) => known[id] ?? ['q8'], known: (id) => known[id] };
}

function num(v: string, fallback: number): number {
  const n = Number(v);
  return v.trim() === '' || !Number.isFinite(n) ? fallback : n;
}

export function ConfigForm(props: {
  models: ModelRecord[];
  splits: string[];
  form: MineForm;
  onChange(f: MineForm): void;
  onStart(c: MiningConfig): void;
  busy: boolean;
}) {
  const { models, form: f, onChange } = props;
  const [error, setError] = useState<string[]>([]);
  const set = (patch: Partial<MineForm>) => onChange({ ...f, ...patch });
  const dense = models.filter((m) => m.kind === 'bi-encoder');
  const rerankers = models.filter((m) => m.kind === 'cross-encoder');
  const { shipped, known } = useShipped(models);
  // A dtype the model does not ship cannot load: once known, fall back to one it ships.
  useEffect(() => {
    const patch: Partial<MineForm> = {};
    for (const [id, c] of Object.entries(f.dense)) {
      const has = known(id);
      if (has && !has.includes(c.dtype)) patch.dense = { ...(patch.dense ?? f.dense), [id]: { ...c, dtype: has[0] } };
    }
    const has = f.reranker ? known(f.reranker) : undefined;
    if (has && !has.includes(f.rerankerDtype)) patch.rerankerDtype = has[0];
    if (Object.keys(patch).length) onChange({ ...f, ...patch });
  });
  const strat = STRATEGY_HELP[f.strategy];
  // The scale the strategy compares, shown as it will be stored with the run.
  const members = formMembers(f, models);
  const kinds = members.map(memberKind);
  const source = formScoreSource(f, members);
  const sourceText = describeScoreSource(source, kinds, f.fusion);

  const start = (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const c = formToConfig(f, models);
      const errs = validateConfig(c);
      setError(errs);
      if (!errs.length) props.onStart(c);
    } catch (err) {
      setError([(err as Error).message]);
    }
  };

  return (
    <form className="mine-form" onSubmit={start} aria-label="Mining configuration">
      <fieldset>
        <legend>Members</legend>
        <table className="mine-members">
          <thead>
            <tr>
              <th scope="col">Use</th>
              <th scope="col">Retriever</th>
              <th scope="col">Weight</th>
              <th scope="col">Settings</th>
            </tr>
          </thead>
          <tbody>
            {dense.map((m) => {
              const c = f.dense[m.id] ?? { on: false, weight: 1, dtype: 'q8' as const };
              const put = (patch: Partial<typeof c>) => set({ dense: { ...f.dense, [m.id]: { ...c, ...patch } } });
              return (
                <tr key={m.id}>
                  <td>
                    <input type="checkbox" aria-label={`use ${m.name}`} data-member={m.name} checked={c.on} onChange={(e) => put({ on: e.target.checked })} />
                  </td>
                  <td>{m.name}</td>
                  <td>
                    <input type="number" step="0.1" min="0" aria-label={`weight of ${m.name}`} value={c.weight} onChange={(e) => put({ weight: num(e.target.value, 0) })} />
                  </td>
                  <td>
                    <select aria-label={`dtype of ${m.name}`} value={c.dtype} onChange={(e) => put({ dtype: e.target.value as 'q8' | 'fp32' })} title="Only the weights this model ships">
                      {shipped(m.id).map((d) => (
                        <option key={d} value={d}>
                          {d}
                        </option>
                      ))}
                    </select>{' '}
                    <span className="mine-muted">
                      {m.settings.pooling} · {m.settings.maxLength} tokens
                    </span>{' '}
                    {dense.length > 1 && (
                      <label title="Asymmetric member: queries embedded by another bi-encoder (same vector size). Changing only this re-embeds the queries and reuses the stored document vectors.">
                        queries by{' '}
                        <select aria-label={`query model of ${m.name}`} value={c.queryModel || m.id} onChange={(e) => put({ queryModel: e.target.value === m.id ? '' : e.target.value })}>
                          {dense.map((q) => (
                            <option key={q.id} value={q.id}>
                              {q.id === m.id ? `${q.name} (same)` : q.name}
                            </option>
                          ))}
                        </select>
                      </label>
                    )}
                  </td>
                </tr>
              );
            })}
            <tr>
              <td>
                <input type="checkbox" aria-label="use bm25" data-member="bm25" checked={f.bm25.on} onChange={(e) => set({ bm25: { ...f.bm25, on: e.target.checked } })} />
              </td>
              <td>BM25</td>
              <td>
                <input type="number" step="0.1" min="0" aria-label="weight of bm25" value={f.bm25.weight} onChange={(e) => set({ bm25: { ...f.bm25, weight: num(e.target.value, 0) } })} />
              </td>
              <td>
                <label>
                  k1{' '}
                  <input type="number" step="0.1" min="0" aria-label="bm25 k1" value={f.bm25.k1} onChange={(e) => set({ bm25: { ...f.bm25, k1: num(e.target.value, 0.9) } })} />
                </label>{' '}
                <label>
                  b{' '}
                  <input type="number" step="0.05" min="0" max="1" aria-label="bm25 b" value={f.bm25.b} onChange={(e) => set({ bm25: { ...f.bm25, b: num(e.target.value, 0.4) } })} />
                </label>{' '}
                <label title="How text becomes terms. auto: CJK bigrams when the corpus is mostly Japanese, Chinese, Korean or Thai, else words as in the reference BM25">
                  tokenizer{' '}
                  <select aria-label="bm25 tokenizer" value={f.bm25.tokenizer} onChange={(e) => set({ bm25: { ...f.bm25, tokenizer: e.target.value as TokenizerOption } })}>
                    {TOKENIZER_OPTIONS.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                </label>
              </td>
            </tr>
          </tbody>
        </table>
        {!dense.length && <p className="mine-muted">No dense models yet: add one on the Models page (BM25 needs none).</p>}
      </fieldset>

      <fieldset>
        <legend>Fusion and selection</legend>
        <label>
          Fusion{' '}
          <select aria-label="fusion" value={f.fusion} onChange={(e) => set({ fusion: e.target.value as MineForm['fusion'] })}>
            {FUSION_METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Strategy{' '}
          <select
            aria-label="strategy"
            value={f.strategy}
            onChange={(e) => {
              const k = e.target.value as StrategyKind;
              set({ strategy: k, strategyParam: STRATEGY_HELP[k].param?.default ?? '' });
            }}
          >
            {(Object.keys(STRATEGY_HELP) as StrategyKind[]).map((k) => (
              <option key={k} value={k}>
                {STRATEGY_HELP[k].label}
              </option>
            ))}
          </select>
        </label>
        {strat.param && (
          <label>
            {strat.param.name}{' '}
            <input aria-label="strategy parameter" size={6} value={f.strategyParam} onChange={(e) => set({ strategyParam: e.target.value })} />
          </label>
        )}
        <label title="The scale strategy thresholds compare (percentages, margins, caps, SimANS). Default: the first dense member's cosine; fused scores only without a dense member.">
          Score source{' '}
          <select aria-label="score source" value={f.scoreSource} onChange={(e) => set({ scoreSource: e.target.value })}>
            <option value="">default ({describeScoreSource(formScoreSource({ ...f, scoreSource: '' }, members), kinds, f.fusion)})</option>
            {members.map((m) => (
              <option key={m.name} value={m.name}>
                {describeScoreSource(m.name, kinds, f.fusion)}
              </option>
            ))}
            <option value="fused">{describeScoreSource('fused', kinds, f.fusion)}</option>
          </select>
        </label>
        <span className="mine-muted" data-testid="score-source">
          {f.strategy} compares {sourceText}
        </span>
        <label>
          Rank range{' '}
          <select aria-label="rank range semantics" value={f.rangeSemantics} onChange={(e) => set({ rangeSemantics: e.target.value as RangeSemantics })} title={RANGE_HELP[f.rangeSemantics].title}>
            {(Object.keys(RANGE_HELP) as RangeSemantics[]).map((k) => (
              <option key={k} value={k}>
                {RANGE_HELP[k].label}
              </option>
            ))}
          </select>{' '}
          <input aria-label="rank range" size={7} value={f.range} onChange={(e) => set({ range: e.target.value })} title={`MIN:MAX — ${RANGE_HELP[f.rangeSemantics].title}`} />
        </label>
        <label>
          Sampling{' '}
          <select aria-label="sampling" value={f.sampling} onChange={(e) => set({ sampling: e.target.value as Sampling })} title="top: the first N candidates that pass; random: a seeded uniform sample of them (sentence-transformers sampling_strategy, FlagEmbedding)">
            <option value="top">top N</option>
            <option value="random">uniform random</option>
          </select>
        </label>
        <label title="When fewer than N candidates pass, fill up with random corpus documents (FlagEmbedding hn_mine.py); flagged random">
          <input type="checkbox" aria-label="pad with random documents" checked={f.pad} onChange={(e) => set({ pad: e.target.checked })} /> pad to N
        </label>
        {f.strategy === 'simans' && <SimansHint />}
        <label>
          Negatives per query{' '}
          <input type="number" min="0" aria-label="negatives per query" value={f.negatives} onChange={(e) => set({ negatives: Math.max(0, Math.round(num(e.target.value, 0))) })} />
        </label>
        <label>
          Random negatives{' '}
          <input type="number" min="0" aria-label="random negatives" value={f.randomNegatives} onChange={(e) => set({ randomNegatives: Math.max(0, Math.round(num(e.target.value, 0))) })} />
        </label>
      </fieldset>

      <fieldset>
        <legend>Cross-encoder denoising</legend>
        <label>
          Reranker{' '}
          <select aria-label="reranker" value={f.reranker} onChange={(e) => set({ reranker: e.target.value })}>
            <option value="">none</option>
            {rerankers.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        {f.reranker && (
          <>
            <select aria-label="reranker dtype" value={f.rerankerDtype} onChange={(e) => set({ rerankerDtype: e.target.value as 'q8' | 'fp32' })}>
              {shipped(f.reranker).map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
            <label>
              Rule{' '}
              <select aria-label="denoise rule" value={f.denoise} onChange={(e) => set({ denoise: e.target.value as MineForm['denoise'] })}>
                <option value="none">score only</option>
                <option value="abs">absolute: σ(ce) above X</option>
                <option value="rel">relative: σ(ce) above X × positive</option>
              </select>
            </label>
            {f.denoise !== 'none' && (
              <>
                <label>
                  X <input aria-label="denoise threshold" size={6} value={f.denoiseValue} onChange={(e) => set({ denoiseValue: e.target.value })} />
                </label>
                <select aria-label="denoise action" value={f.denoiseAction} onChange={(e) => set({ denoiseAction: e.target.value as 'flag' | 'drop' })}>
                  <option value="flag">flag for review</option>
                  <option value="drop">drop</option>
                </select>
              </>
            )}
          </>
        )}
      </fieldset>

      <fieldset>
        <legend>Data</legend>
        <label>
          Split{' '}
          <select aria-label="split" value={f.split} onChange={(e) => set({ split: e.target.value })}>
            {(props.splits.length ? props.splits : [f.split]).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Chunking{' '}
          <select aria-label="chunking" value={f.chunk} onChange={(e) => set({ chunk: e.target.value as MineForm['chunk'] })}>
            <option value="none">none (whole documents)</option>
            <option value="paragraphs">paragraphs (MaxP)</option>
            <option value="tokens">token windows (MaxP)</option>
            <option value="sentences">sentences (MaxP; 。！？ and Intl.Segmenter)</option>
          </select>
        </label>
        {f.chunk === 'sentences' && (
          <label title="Consecutive sentences are packed into chunks of at most this many characters">
            Max characters{' '}
            <input type="number" min="1" step="1" aria-label="chunk sentence characters" value={f.chunkSentenceChars} onChange={(e) => set({ chunkSentenceChars: num(e.target.value, DEFAULT_SENTENCE_CHARS) })} />
          </label>
        )}
        {f.chunk === 'tokens' && (
          <>
            <label title="Window size in tokens of the first dense model's tokenizer">
              Window{' '}
              <input type="number" min="1" step="1" aria-label="chunk window tokens" value={f.chunkTokens.size} onChange={(e) => set({ chunkTokens: { ...f.chunkTokens, size: num(e.target.value, 200) } })} />
            </label>
            <label>
              Overlap{' '}
              <input type="number" min="0" step="1" aria-label="chunk overlap tokens" value={f.chunkTokens.overlap} onChange={(e) => set({ chunkTokens: { ...f.chunkTokens, overlap: num(e.target.value, 50) } })} />
            </label>
          </>
        )}
      </fieldset>

      <ErrorList errors={error} className="mine-error" />
      <button type="submit" className="mine-start" disabled={props.busy}>
        Start mining
      </button>
    </form>
  );
}

/** SimANS's effective sampling distribution with its defaults, on the cosine scale. */
function SimansHint() {
  const { weights, profile } = simansHint();
  return (
    <p className="mine-muted" data-testid="simans-hint">
      SimANS weight at cosine gap {weights.map(([g, w]) => `${g}: ${w.toFixed(2)}`).join(', ')}; on a typical top-100 pool one draw lands in the top 10 with
      probability {profile.topMass.toFixed(2)} (uniform {profile.uniformTopMass.toFixed(2)}), effective pool {profile.effectivePool.toFixed(0)} of {profile.poolSize}.
    </p>
  );
}
