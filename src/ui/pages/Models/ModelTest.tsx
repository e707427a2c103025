// "Test" panel: loads the model in the worker and runs it on a sample, showing the device
// that actually runs, dtype, load time, throughput and a vector (or score) preview.
import { useState } from 'react';
import type { ModelRecord } from '../../../db/schema';
import type { EmbedClient, LoadInfo, ModelRef } from '../../../workers/embed/client';
import { vectorPreview } from './model-form';
import { getDB } from '../../../db/db';
import { recordThroughput, throughputModel } from '../../../db/throughput';

interface Result {
  load: LoadInfo;
  perS: number;
  unit: string;
  preview: string;
}

export function ModelTest(props: { model: ModelRecord; client: EmbedClient | null }) {
  const { model, client } = props;
  const cross = model.kind === 'cross-encoder';
  const [query, setQuery] = useState('open source firmware flasher');
  const [text, setText] = useState('0xffff: Open Free Fiasco Firmware Flasher for Nokia N900 and other Maemo devices.');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    if (!client) return;
    setBusy(true);
    setError(null);
    setResult(null);
    const ref: ModelRef = { kind: model.kind, source: model.source, settings: model.settings };
    try {
      const load = await client.api.load(ref);
      const reps = 16;
      const t0 = performance.now();
      let preview: string;
      if (cross) {
        const scores = await client.score({ model: ref, pairs: Array.from({ length: reps }, () => [query, text] as [string, string]) }).result;
        preview = `logit ${scores[0].toFixed(4)} · sigmoid ${(1 / (1 + Math.exp(-scores[0]))).toFixed(4)}`;
      } else {
        const v = await client.api.embedTexts(ref, Array.from({ length: reps }, (_, i) => (i === 0 ? text : `${text} ${i}`)), 'document');
        const p = vectorPreview(v.subarray(0, v.length / reps));
        preview = `dim ${p.dim} · norm ${p.norm.toFixed(4)} · ${p.head}`;
      }
      const secs = (performance.now() - t0) / 1000;
      // Kept per model, dtype and device: the Mine page estimates what a run costs from it.
      await recordThroughput(getDB(), {
        model: throughputModel(model.id, model.settings.dtype),
        device: load.device,
        perS: reps / secs,
        at: Date.now(),
        source: 'test',
        items: reps,
      });
      setResult({ load, perS: reps / secs, unit: cross ? 'pairs/s' : 'texts/s', preview });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="model-test" data-testid="model-test">
      <div className="grid2">
        {cross && (
          <label>
            Query
            <input value={query} onChange={(e) => setQuery(e.target.value)} />
          </label>
        )}
        <label>
          {cross ? 'Document' : 'Sample text'}
          <input value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      </div>
      <div className="row">
        <button className="primary" onClick={() => void run()} disabled={busy || !client} data-testid="run-test">
          {busy ? 'Testing…' : 'Run test'}
        </button>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="test-error">
          {error}
        </p>
      )}
      {result && (
        <dl className="stats" data-testid="test-result">
          <div>
            <dt>Device</dt>
            <dd data-testid="test-device">{result.load.device}</dd>
          </div>
          {result.load.adapter && (
            <div>
              <dt>Adapter</dt>
              <dd data-testid="test-adapter">{result.load.adapter}</dd>
            </div>
          )}
          <div>
            <dt>dtype</dt>
            <dd>{result.load.dtype}</dd>
          </div>
          <div>
            <dt>Load</dt>
            <dd data-testid="test-load">{result.load.cached ? 'already loaded' : `${(result.load.loadMs / 1000).toFixed(2)} s`}</dd>
          </div>
          <div>
            <dt>Throughput</dt>
            <dd data-testid="test-throughput">
              {result.perS.toFixed(1)} {result.unit} <span className="muted">(kept for the Mine page's cost estimate)</span>
            </dd>
          </div>
          <div>
            <dt>ORT build</dt>
            <dd>{result.load.ortBuild}</dd>
          </div>
          <div>
            <dt>Threads</dt>
            <dd>
              {result.load.numThreads}
              {!result.load.crossOriginIsolated && ' (not cross-origin isolated: single thread)'}
            </dd>
          </div>
          {result.load.notice && <p className="notice" data-testid="device-notice">{result.load.notice}</p>}
          <p className="mono" data-testid="test-preview">
            {result.preview}
          </p>
        </dl>
      )}
    </div>
  );
}
