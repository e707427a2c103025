// The runtime lab page (src/workers/embed/lab) driven from Playwright, and the comparison
// of its vectors with the PyTorch reference: shared by e2e/runtime.spec.ts (WASM) and
// e2e/webgpu.spec.ts (WebGPU on SwiftShader).
import { expect, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { fp32File, type RefRow } from './runtime-fixture';

export const LAB = '/src/workers/embed/lab/index.html';

export type Device = 'auto' | 'webgpu' | 'wasm';

export type LoadInfo = Record<string, unknown> & { device: string; adapter?: string; notice?: string; loadMs: number; ortBuild: string };

export type Lab = {
  ref(path: string, dtype: 'fp32' | 'q8', kind?: string, device?: Device): unknown;
  load(m: unknown): Promise<LoadInfo>;
  embed(m: unknown, texts: string[], role: 'query' | 'document'): Promise<number[]>;
  score(m: unknown, pairs: Array<[string, string]>): Promise<number[]>;
};

/**
 * Opens the lab page, serving fp32 weights (not in public/, size) from ../shared/models.
 * `query` is appended to the page URL (e.g. `?webgpu-fault=session`, see webgpu-faults.ts).
 */
export async function openLab(page: Page, query = '') {
  await page.context().route('**/models-fp32/**', async (route) => {
    const file = fp32File(new URL(route.request().url()).pathname);
    if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ path: file, headers: { 'Cross-Origin-Resource-Policy': 'same-origin' } });
  });
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  await page.goto(LAB + query);
  await expect(page.locator('#status')).toHaveText('ready');
}

export type BiModel = 'pkgs-minilm' | 'pkgs-static';

/** The lab's model path: bundled q8 under /models, fp32 under /models-fp32 (routed by openLab). */
export function labPath(model: string, dtype: 'fp32' | 'q8'): string {
  return dtype === 'fp32' ? `/models-fp32/${model}` : model;
}

/** Loads a bi-encoder in the lab and embeds documents and queries (flat arrays). */
export async function embedInLab(
  page: Page,
  model: BiModel,
  dtype: 'fp32' | 'q8',
  queries: string[],
  texts: string[],
  device: Device = 'auto',
): Promise<{ info: LoadInfo; d: number[]; q: number[]; docMs: number }> {
  return page.evaluate(
    async ({ path, dtype, queries, texts, device }) => {
      const lab = (globalThis as unknown as { quarryLab: Lab }).quarryLab;
      const m = lab.ref(path, dtype, 'bi-encoder', device);
      const info = await lab.load(m);
      const t0 = performance.now();
      const d = await lab.embed(m, texts, 'document');
      const docMs = performance.now() - t0;
      const q = await lab.embed(m, queries, 'query');
      return { info, d, q, docMs };
    },
    { path: labPath(model, dtype), dtype, queries, texts, device },
  );
}

/** Cosines of query `qi` with every document (vectors are normalised). */
export function cosines(q: number[], d: number[], qi: number, dim: number): number[] {
  const n = d.length / dim;
  const out: number[] = [];
  for (let di = 0; di < n; di++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += q[qi * dim + k] * d[di * dim + k];
    out.push(s);
  }
  return out;
}

/**
 * Our cosines against the reference: the largest |cos diff| over the (query, doc) pairs the
 * reference scores, the mean top-10 overlap over `ids`, and, per query, whether the docs
 * of `ids` the reference ranks come out in the same order (their first `k`).
 */
export function compareWithReference(ref: RefRow[], model: BiModel, ids: string[], q: number[], d: number[], dim: number, k = 10) {
  const index = new Map(ids.map((id, i) => [id, i]));
  let overlap = 0;
  let maxDiff = 0;
  const orderMismatch: string[] = [];
  ref.forEach((r, qi) => {
    const cos = cosines(q, d, qi, dim);
    const ours = ids.map((id, i) => [id, cos[i]] as const).sort((a, b) => b[1] - a[1]).slice(0, 10).map(([id]) => id);
    const theirs = new Set(r[model].slice(0, 10).map(([id]) => id));
    overlap += ours.filter((id) => theirs.has(id)).length / Math.min(10, ids.length);
    const ranked: Array<[string, number, number]> = [];
    for (const [id, c] of r[model]) {
      const i = index.get(id);
      if (i === undefined) continue;
      maxDiff = Math.max(maxDiff, Math.abs(cos[i] - c));
      ranked.push([id, c, cos[i]]);
    }
    const want = ranked.slice(0, k).map(([id]) => id);
    const got = [...ranked].sort((a, b) => b[2] - a[2]).slice(0, k).map(([id]) => id);
    if (want.join() !== got.join()) orderMismatch.push(`${r.query_id}: reference ${want.join(' ')} / ours ${got.join(' ')}`);
  });
  return { overlap: overlap / ref.length, maxDiff, orderMismatch };
}
