// Models page: a sentence-transformers folder configures itself. Its 1_Pooling/config.json
// says CLS and its config_sentence_transformers.json holds an E5-style query prompt; the
// page shows both with the file each came from, stores them on the model, and "Normalise:
// raw vectors" really reaches the vectors the model test embeds.
import { test, expect } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelFolder, writeStClsConfig } from '../src/cli/test-support/st-folder';
import { openLocalModelForm } from './helpers';

test('Models page: a sentence-transformers folder’s CLS pooling and prompts, with where they came from', async ({ page }) => {
  test.setTimeout(300_000);
  const folder = join(mkdtempSync(join(tmpdir(), 'quarry-st-')), 'st-static');
  modelFolder('public/models/pkgs-static', folder, [['onnx/model_quantized.onnx', 'onnx/model_quantized.onnx']], 'copy');
  writeStClsConfig(folder, 256, { query: 'query: ', document: 'passage: ' });

  const { form } = await openLocalModelForm(page, 'ST folder test');
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
