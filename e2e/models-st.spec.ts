// Models page: a sentence-transformers folder configures itself. Its 1_Pooling/config.json
// says CLS and its config_sentence_transformers.json holds an E5-style query prompt; the
// page shows both with the file each came from, stores them on the model, and "Normalise:
// raw vectors" really reaches the vectors the model test embeds.
import { test, expect } from '@playwright/test';

test('Models page: a sentence-transformers folder’s CLS pooling and prompts, with where they came from', async ({ page }) => {
  test.setTimeout(300_000);
  const { mkdtempSync, mkdirSync, copyFileSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const folder = join(mkdtempSync(join(tmpdir(), 'quarry-st-')), 'st-static');
  mkdirSync(join(folder, 'onnx'), { recursive: true });
  for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) copyFileSync(join('public/models/pkgs-static', f), join(folder, f));
  copyFileSync('public/models/pkgs-static/onnx/model_quantized.onnx', join(folder, 'onnx/model_quantized.onnx'));
  writeFileSync(
    join(folder, 'modules.json'),
    JSON.stringify([
      { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
      { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
      { idx: 2, name: '2', path: '2_Normalize', type: 'sentence_transformers.models.Normalize' },
    ]),
  );
  mkdirSync(join(folder, '1_Pooling'));
  writeFileSync(join(folder, '1_Pooling', 'config.json'), JSON.stringify({ word_embedding_dimension: 256, pooling_mode_cls_token: true, pooling_mode_mean_tokens: false }));
  writeFileSync(join(folder, 'config_sentence_transformers.json'), JSON.stringify({ prompts: { query: 'query: ', document: 'passage: ' }, default_prompt_name: null }));

  await page.goto('/#/');
  await page.getByLabel('New project').fill('ST folder test');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(/#\/p\/[^/]+\//);
  const projectId = decodeURIComponent(/#\/p\/([^/]+)\//.exec(page.url())![1]);
  await page.goto(`/#/p/${encodeURIComponent(projectId)}/models`);
  await expect(page.locator('tr[data-model="pkgs-rerank"]')).toBeVisible();

  await page.getByRole('button', { name: 'Add model' }).click();
  const form = page.getByTestId('add-model');
  await form.getByLabel('Source').selectOption('local');
  await form.getByTestId('folder-input').setInputFiles(folder);
  await expect(form.getByTestId('folder-report')).toContainText('Looks usable: bi-encoder');
  const st = form.getByTestId('folder-st-settings');
  await expect(st).toContainText('pooling "cls" (from 1_Pooling/config.json)');
  await expect(st).toContainText('queryPrefix "query: " (from config_sentence_transformers.json prompts)');
  await form.getByRole('button', { name: 'Add model' }).click();

  const row = page.locator('tr[data-model="st-static"]');
  await expect(row).toContainText('cls (from 1_Pooling/config.json)');
  await row.getByRole('button', { name: 'Settings' }).click();
  const editor = page.getByTestId('model-settings');
  await expect(editor.getByLabel(/^Pooling/)).toHaveValue('cls');
  await expect(editor.getByTestId('from-pooling')).toHaveText('from 1_Pooling/config.json');
  await expect(editor.getByLabel(/^Query prefix/)).toHaveValue('query: ');
  await expect(editor.getByLabel(/^Document prefix/)).toHaveValue('passage: ');

  // A preset fills pooling and prefixes and says so.
  await editor.getByTestId('model-preset').selectOption('bge');
  await expect(editor.getByLabel(/^Query prefix/)).toHaveValue('Represent this sentence for searching relevant passages: ');
  await expect(editor.getByTestId('from-pooling')).toHaveText('from preset bge');
  // Normalise: raw vectors — the test embedding is no longer unit length.
  await editor.getByLabel(/^Normalise/).selectOption('no');
  await expect(editor.getByTestId('from-normalize')).toHaveCount(0);
  await editor.getByRole('button', { name: 'Save settings' }).click();
  await expect(row).toContainText('raw (dot product)');
  await row.getByTestId('test-model').click();
  await page.getByTestId('run-test').click();
  await expect(page.getByTestId('test-result')).toBeVisible({ timeout: 120_000 });
  const preview = await page.getByTestId('test-preview').innerText();
  const norm = Number(/norm ([\d.]+)/.exec(preview)![1]);
  expect(Math.abs(norm - 1)).toBeGreaterThan(1e-3);
});
