// Hugging Face ids in --member / --reranker resolve from the local hub cache layout, never a download.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODELS, debianSlice, quarry } from '../test-support/debian-slice';
import { resolveModelDir } from './model-load';

const hub = mkdtempSync(join(tmpdir(), 'quarry-hub-'));
const snap = join(hub, 'models--quarry-test--pkgs-static', 'snapshots', 'abc123');
mkdirSync(join(hub, 'models--quarry-test--pkgs-static', 'refs'), { recursive: true });
mkdirSync(join(hub, 'models--quarry-test--pkgs-static', 'snapshots'), { recursive: true });
symlinkSync(MODELS.static, snap);
writeFileSync(join(hub, 'models--quarry-test--pkgs-static', 'refs', 'main'), 'abc123\n');
afterAll(() => rmSync(hub, { recursive: true, force: true }));

describe('model ids from the Hugging Face cache', () => {
  it('resolves org/name to snapshots/<refs/main> under HF_HUB_CACHE, HF_HOME/hub or ~/.cache/huggingface/hub', () => {
    expect(resolveModelDir('/nowhere', 'quarry-test/pkgs-static', { HF_HUB_CACHE: hub })).toBe(snap);
    expect(() => resolveModelDir('/nowhere', 'quarry-test/absent', { HF_HUB_CACHE: hub, HOME: hub })).toThrow(/not in the Hugging Face or transformers.js caches .*models--quarry-test--absent\/snapshots.*nothing is downloaded/);
  });

  it('quarry eval --member dense:<HF id> runs on the cached snapshot', async () => {
    const slice = debianSlice(4);
    const saved = process.env.HF_HUB_CACHE;
    process.env.HF_HUB_CACHE = hub;
    try {
      const r = await quarry('eval', '--data', slice.data, '--member', 'dense:quarry-test/pkgs-static', '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(Object.keys(JSON.parse(r.stdout).members)).toHaveLength(1);
    } finally {
      if (saved === undefined) delete process.env.HF_HUB_CACHE;
      else process.env.HF_HUB_CACHE = saved;
      rmSync(slice.dir, { recursive: true, force: true });
    }
  }, 300_000);
});
