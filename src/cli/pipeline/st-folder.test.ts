// A sentence-transformers model in the Hugging Face cache layout configures itself: its
// 1_Pooling/config.json says CLS, so `--member dense:<id>` embeds with CLS pooling (not our
// mean default), and a pooling the SPEC writes still wins. Model folders in other layouts
// (transformers.js' cache, model.onnx at the root, q8 weights only) load without a dtype.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoModel, AutoTokenizer, Tensor } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localModelSource } from '../../runtime/node/local-model';
import { withModelSource } from '../../runtime/model-source';
import { MODELS, debianSlice, quarry, type DebianSlice } from '../test-support/debian-slice';
import { modelFolder as copyModel, writeStClsConfig } from '../test-support/st-folder';
import { resolveModelDir } from './model-load';

const tmp = mkdtempSync(join(tmpdir(), 'quarry-st-'));
const hub = join(tmp, 'hub');
const repo = join(hub, 'models--quarry-st--minilm-cls');
const snap = join(repo, 'snapshots', '0123abcd');

/** The bi-encoder's files as a folder: tokenizer and config copied, weights linked. */
const modelFolder = (dir: string, weights: Array<[from: string, to: string]>) => copyModel(MODELS.minilm, dir, weights);

modelFolder(snap, [['onnx/model.onnx', 'onnx/model.onnx']]);
writeStClsConfig(snap, 384);
mkdirSync(join(repo, 'refs'), { recursive: true });
writeFileSync(join(repo, 'refs', 'main'), '0123abcd');

let slice: DebianSlice;
const saved = process.env.HF_HUB_CACHE;
beforeAll(() => {
  slice = debianSlice(3);
  // Positives and 40 other packages: enough to rank, cheap to embed eight times.
  const positives = new Set([...slice.qrels.values()].flat());
  const file = join(slice.data, 'corpus.jsonl');
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const others = lines.filter((l) => !positives.has((JSON.parse(l) as { _id: string })._id)).slice(0, 40);
  writeFileSync(file, [...lines.filter((l) => positives.has((JSON.parse(l) as { _id: string })._id)), ...others].join('\n') + '\n');
  process.env.HF_HUB_CACHE = hub;
});
afterAll(() => {
  if (saved === undefined) delete process.env.HF_HUB_CACHE;
  else process.env.HF_HUB_CACHE = saved;
  rmSync(tmp, { recursive: true, force: true });
  rmSync(slice.dir, { recursive: true, force: true });
});

type Ranked = { query_id: string; hits: Array<[string, number]> };
async function rank(member: string): Promise<{ rows: Ranked[]; stderr: string }> {
  const r = await quarry('rank', '--data', slice.data, '--split', 'dev', '--member', member, '--top', '5');
  expect(r.code, r.stderr).toBe(0);
  return { rows: r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Ranked), stderr: r.stderr };
}

/** [CLS] vector of a short text, L2-normalised, straight from the model's last_hidden_state. */
async function clsByHand(texts: string[]): Promise<number[][]> {
  const source = localModelSource(MODELS.minilm, 'fp32');
  const { tokenizer, model } = await withModelSource(source, async () => ({
    tokenizer: await AutoTokenizer.from_pretrained(source.id),
    model: await AutoModel.from_pretrained(source.id, { dtype: 'fp32' }),
  }));
  const out: number[][] = [];
  for (const t of texts) {
    const enc = tokenizer(t) as Record<string, Tensor>;
    const { last_hidden_state: h } = (await model(enc)) as { last_hidden_state: Tensor };
    const dim = h.dims[2];
    const v = Array.from((h.data as Float32Array).slice(0, dim));
    const n = Math.hypot(...v);
    out.push(v.map((x) => x / n));
  }
  await model.dispose();
  return out;
}

describe('a sentence-transformers folder in the Hub layout', () => {
  it('embeds with the CLS pooling its 1_Pooling/config.json names, unless the SPEC says otherwise', async () => {
    const fromFolder = await rank('dense:quarry-st/minilm-cls');
    expect(fromFolder.stderr).toMatch(/pooling "cls" \(from 1_Pooling\/config\.json\)/);
    const cls = await rank(`dense:${MODELS.minilm}:pooling=cls`);
    const mean = await rank(`dense:${MODELS.minilm}:pooling=mean`);
    const overridden = await rank('dense:quarry-st/minilm-cls:pooling=mean');
    const scores = (r: { rows: Ranked[] }) => r.rows.flatMap((q) => q.hits.map(([, s]) => s));
    // Same folder weights, the folder's pooling: identical to writing pooling=cls by hand…
    expect(fromFolder.rows).toEqual(cls.rows);
    // …and not what mean pooling gives.
    const diff = scores(fromFolder).map((s, i) => Math.abs(s - scores(mean)[i]));
    expect(Math.max(...diff)).toBeGreaterThan(0.01);
    expect(overridden.rows).toEqual(mean.rows);
    expect(overridden.stderr).not.toMatch(/pooling "cls"/);
  }, 300_000);

  it('its scores are cosines of [CLS] vectors taken by hand from last_hidden_state', async () => {
    const { rows } = await rank('dense:quarry-st/minilm-cls');
    const q = slice.queries.find((x) => x.id === rows[0].query_id)!;
    // The corpus text of the top hit, short enough that no truncation is involved.
    const docs = new Map(
      readFileSync(join(slice.data, 'corpus.jsonl'), 'utf8').trim().split('\n').map((l) => {
        const d = JSON.parse(l) as { _id: string; title: string; text: string };
        return [d._id, d.title ? `${d.title}: ${d.text}` : d.text] as const;
      }),
    );
    const [docId, score] = rows[0].hits.find(([id]) => docs.get(id)!.length < 500)!;
    const [qv, dv] = await clsByHand([q.text, docs.get(docId)!]);
    const cosine = qv.reduce((a, x, i) => a + x * dv[i], 0);
    expect(Math.abs(cosine - score)).toBeLessThan(1e-4);
  }, 300_000);
});

describe('model folders in other layouts', () => {
  it('finds an id in transformers.js’ cache (<cacheDir>/org/name) and says where it looked when absent', () => {
    const cache = join(tmp, 'tjs-cache');
    modelFolder(join(cache, 'Xenova', 'minilm-copy'), [['onnx/model_quantized.onnx', 'onnx/model_quantized.onnx']]);
    expect(resolveModelDir('/nowhere', 'Xenova/minilm-copy', { HF_HUB_CACHE: hub, QUARRY_TRANSFORMERS_CACHE: cache })).toBe(join(cache, 'Xenova', 'minilm-copy'));
    expect(() => resolveModelDir('/nowhere', 'Xenova/absent', { HF_HUB_CACHE: hub, QUARRY_TRANSFORMERS_CACHE: cache })).toThrow(
      /not in the Hugging Face or transformers\.js caches \(.*models--Xenova--absent\/snapshots, .*tjs-cache\/Xenova\/absent.*\); nothing is downloaded/,
    );
  });

  it('loads model.onnx at the folder root, and only-q8 weights when the SPEC names no dtype', async () => {
    const root = join(tmp, 'root-onnx');
    modelFolder(root, [['onnx/model.onnx', 'model.onnx']]);
    const q8only = join(tmp, 'q8-only');
    modelFolder(q8only, [['onnx/model_quantized.onnx', 'onnx/model_quantized.onnx']]);
    const plain = await rank(`dense:${MODELS.minilm}`);
    expect((await rank(`dense:${root}`)).rows).toEqual(plain.rows);
    const q8 = await rank(`dense:${q8only}`);
    expect(q8.stderr).toMatch(/has no fp32 weights; using q8/);
    expect(q8.rows).toEqual((await rank(`dense:${MODELS.minilm}:dtype=q8`)).rows);
    const asked = await quarry('rank', '--data', slice.data, '--member', `dense:${q8only}:dtype=fp32`);
    expect(asked.code).not.toBe(0);
    expect(asked.stderr).toMatch(/has no onnx\/model\.onnx \(dtype fp32\); it has onnx\/model_quantized\.onnx \(q8\): pass dtype=q8/);
  }, 300_000);
});
