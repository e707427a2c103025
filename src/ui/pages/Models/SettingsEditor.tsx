// Per-model settings (kept on the model's record in IndexedDB, so they travel with the
// project's data): pooling, normalisation, prefixes, max length, dtype, device.
import { useState } from 'react';
import { getDB } from '../../../db/db';
import type { ModelRecord, ModelSettings } from '../../../db/schema';
import { checkSettings, editSetting, withPreset, type FilledSetting } from './model-form';
import { ErrorList } from '../../components/ErrorList';
import { findPreset, MODEL_PRESETS } from '../../../core/spec/model-presets';

/** Where a setting came from (a model folder's file or a preset), beside its field. */
function From(props: { s: ModelSettings; k: FilledSetting }) {
  const from = props.s.from?.[props.k];
  return from ? <span className="muted setting-from" data-testid={`from-${props.k}`}>from {from}</span> : null;
}

export function SettingsEditor(props: { model: ModelRecord; onDone: () => void }) {
  const [s, setS] = useState<ModelSettings>({ ...props.model.settings });
  const [errors, setErrors] = useState<string[]>([]);
  const cross = props.model.kind === 'cross-encoder';
  const set = (patch: Partial<ModelSettings>) => setS((x) => editSetting(x, patch));
  const save = async () => {
    const errs = checkSettings(s);
    setErrors(errs);
    if (errs.length) return;
    await getDB().models.update(props.model.id, { settings: s });
    props.onDone();
  };
  return (
    <div className="model-settings" data-testid="model-settings">
      <div className="grid2">
        {!cross && (
          <>
            <label>
              Preset
              <select
                value=""
                data-testid="model-preset"
                onChange={(e) => {
                  const p = findPreset(e.target.value);
                  if (p) setS((x) => withPreset(x, p));
                }}
              >
                <option value="">fill pooling and prefixes for a model family…</option>
                {MODEL_PRESETS.map((p) => (
                  <option key={p.id} value={p.id} title={p.source}>
                    {p.label}
                  </option>
                ))}
              </select>
            </label>
            <span />
            <label>
              Pooling <From s={s} k="pooling" />
              <select value={s.pooling} onChange={(e) => set({ pooling: e.target.value as ModelSettings['pooling'] })}>
                <option value="mean">mean over tokens</option>
                <option value="cls">[CLS] token</option>
                <option value="max">max over tokens</option>
                <option value="lasttoken">last token</option>
              </select>
            </label>
            <label>
              Normalise <From s={s} k="normalize" />
              <select value={s.normalize ? 'yes' : 'no'} onChange={(e) => set({ normalize: e.target.value === 'yes' })}>
                <option value="yes">L2-normalise (cosine)</option>
                <option value="no">raw vectors (dot product)</option>
              </select>
            </label>
            <label>
              Query prefix <From s={s} k="queryPrefix" />
              <input value={s.queryPrefix} placeholder='e.g. "query: "' onChange={(e) => set({ queryPrefix: e.target.value })} />
            </label>
            <label>
              Document prefix <From s={s} k="docPrefix" />
              <input value={s.docPrefix} placeholder='e.g. "passage: "' onChange={(e) => set({ docPrefix: e.target.value })} />
            </label>
          </>
        )}
        <label>
          Max length (tokens, [CLS]/[SEP] included)
          <input type="number" value={s.maxLength} onChange={(e) => set({ maxLength: Number(e.target.value) })} />
        </label>
        <label>
          dtype
          <select value={s.dtype} onChange={(e) => set({ dtype: e.target.value as ModelSettings['dtype'] })}>
            <option value="q8">q8 (onnx/model_quantized.onnx)</option>
            <option value="fp32">fp32 (onnx/model.onnx)</option>
          </select>
        </label>
        <label>
          Device
          <select value={s.device} onChange={(e) => set({ device: e.target.value as ModelSettings['device'] })}>
            <option value="auto">auto (WebGPU when available, else WASM)</option>
            <option value="webgpu">WebGPU</option>
            <option value="wasm">WASM (CPU)</option>
          </select>
        </label>
      </div>
      <ErrorList errors={errors} />
      <div className="row">
        <button className="primary" onClick={() => void save()}>
          Save settings
        </button>
        <button onClick={props.onDone}>Cancel</button>
      </div>
    </div>
  );
}
