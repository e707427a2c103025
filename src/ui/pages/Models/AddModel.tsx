// Add a model: a bundled folder, a Hugging Face id (downloaded once, then cached for
// offline use), or a local folder chosen or dropped (validated, then kept in OPFS).
import { useState, type DragEvent } from 'react';
import { getDB } from '../../../db/db';
import type { ModelKind } from '../../../db/schema';
import type { FolderReport } from '../../../runtime/browser/folder-check';
import { inspectFolder, saveFolder, type FolderFile } from '../../../runtime/browser/local-folders';
import { checkAddForm, describeFolderSettings, formToRecord, withFolderSettings, type AddForm } from './model-form';
import { stSettingsFromFiles, stSettingsFromUrl } from '../../../runtime/browser/st-folder';
import type { FolderSettings } from '../../../core/spec/st-metadata';
import { ErrorList } from '../../components/ErrorList';

/** Files of a dropped folder (DataTransfer entries, walked recursively). */
async function filesFromDrop(e: DragEvent): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ path: prefix + entry.name, data: file });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      }
    }
  };
  const entries = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry()).filter((x): x is FileSystemEntry => !!x);
  for (const entry of entries) await walk(entry, '');
  return out;
}

export function AddModel(props: { projectId: string; existingNames: string[]; onDone: () => void }) {
  const [form, setForm] = useState<AddForm>({ sourceType: 'hub', location: '', name: '', kind: 'bi-encoder' });
  const [files, setFiles] = useState<FolderFile[] | null>(null);
  const [report, setReport] = useState<FolderReport | null>(null);
  const [stSettings, setStSettings] = useState<FolderSettings | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const takeFiles = async (list: FolderFile[]) => {
    setFiles(list);
    const r = await inspectFolder(list);
    setReport(r);
    setStSettings(await stSettingsFromFiles(list));
    const folderName = r.root || 'model';
    // The name follows the folder unless the user typed their own.
    setForm((f) => ({ ...f, location: folderName, name: !f.name || f.name === f.location ? folderName : f.name, kind: r.kind ?? f.kind }));
  };

  const add = async () => {
    const errs = checkAddForm(form, props.existingNames);
    if (form.sourceType === 'local' && report && !report.ok) errs.push(...report.problems.map((p) => `Folder: ${p}.`));
    setErrors(errs);
    if (errs.length) return;
    setBusy(true);
    try {
      const id = `m-${crypto.randomUUID()}`;
      const rec = formToRecord(form, props.projectId, id, Date.now());
      if (form.sourceType === 'local' && files) {
        await saveFolder(files, id);
        rec.source = { type: 'local', folder: id };
        if (report?.dtypes.length && !report.dtypes.includes(rec.settings.dtype)) rec.settings.dtype = report.dtypes.find((d) => d === 'q8' || d === 'fp32') ?? report.dtypes[0];
      }
      // A sentence-transformers folder's own pooling, prompts and normalisation (bi-encoders).
      const folder = form.sourceType === 'local' ? stSettings : form.sourceType === 'bundled' ? await stSettingsFromUrl(`/models/${form.location.trim().replace(/^\/+|^models\//g, '')}`) : null;
      if (folder && rec.kind === 'bi-encoder') rec.settings = withFolderSettings(rec.settings, folder);
      await getDB().models.add(rec);
      props.onDone();
    } catch (e) {
      setErrors([e instanceof Error ? e.message : String(e)]);
    } finally {
      setBusy(false);
    }
  };

  const set = (patch: Partial<AddForm>) => setForm((f) => ({ ...f, ...patch }));
  return (
    <div className="card" data-testid="add-model">
      <h2>Add a model</h2>
      <div className="grid2">
        <label>
          Source
          <select value={form.sourceType} onChange={(e) => set({ sourceType: e.target.value as AddForm['sourceType'], location: '' })}>
            <option value="hub">Hugging Face id (downloads once, then works offline)</option>
            <option value="local">Local folder (stays in this browser)</option>
            <option value="bundled">Bundled folder under /models/</option>
          </select>
        </label>
        <label>
          Kind
          <select value={form.kind} onChange={(e) => set({ kind: e.target.value as ModelKind })}>
            <option value="bi-encoder">bi-encoder (embeddings)</option>
            <option value="cross-encoder">cross-encoder (reranker)</option>
          </select>
        </label>
        {form.sourceType !== 'local' && (
          <label>
            {form.sourceType === 'hub' ? 'Hugging Face id' : 'Folder'}
            <input
              value={form.location}
              placeholder={form.sourceType === 'hub' ? 'Xenova/bge-small-en-v1.5' : 'pkgs-minilm'}
              onChange={(e) => set({ location: e.target.value, name: form.name || e.target.value.split('/').pop() || '' })}
            />
          </label>
        )}
        <label>
          Name
          <input value={form.name} onChange={(e) => set({ name: e.target.value })} data-testid="model-name" />
        </label>
      </div>
      {form.sourceType === 'local' && (
        <div
          className="dropzone"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            void filesFromDrop(e).then(takeFiles);
          }}
        >
          <p>Drop a model folder here (config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx), or</p>
          <input
            type="file"
            // Folder picker: Chromium and Firefox support webkitdirectory.
            {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
            multiple
            data-testid="folder-input"
            onChange={(e) => {
              const list = [...(e.target.files ?? [])].map((f) => ({ path: f.webkitRelativePath || f.name, data: f as Blob }));
              void takeFiles(list);
            }}
          />
          {stSettings && describeFolderSettings(stSettings).length > 0 && (
            <div data-testid="folder-st-settings">
              <p>Settings from the folder's sentence-transformers files (applied when added; editable later):</p>
              <ul>
                {describeFolderSettings(stSettings).map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            </div>
          )}
          {report && (
            <div data-testid="folder-report">
              {report.ok ? (
                <p className="ok">
                  Looks usable: {report.kind}, {report.modelType}, weights for {report.dtypes.join(', ')}.
                </p>
              ) : (
                <ul className="error">
                  {report.problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
      )}
      <ErrorList errors={errors} />
      <div className="row">
        <button className="primary" disabled={busy} onClick={() => void add()}>
          Add model
        </button>
        <button onClick={props.onDone}>Cancel</button>
      </div>
    </div>
  );
}
