// Paths and browser/preview helpers shared by bench rows. The preview server and the
// browser start once per bench run (on first use) and are closed by bench/run.ts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Folder holding data/, models/, reference/ (CI puts shared/ beside the repo). */
export const SHARED = resolve(ROOT, process.env.QUARRY_SHARED ?? '../shared');
export const DEBIAN = join(SHARED, 'data', 'debian-pkgs');

const cleanups: Array<() => Promise<void> | void> = [];
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}
export async function cleanupAll(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}

let built = false;
/** Builds the app once per bench run (skip with QUARRY_BENCH_NO_BUILD=1 when dist/ is fresh). */
export function ensureBuilt(): void {
  if (built) return;
  built = true;
  if (process.env.QUARRY_BENCH_NO_BUILD === '1' && existsSync(join(ROOT, 'dist', 'index.html'))) return;
  const r = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('vite build failed');
}

let previewUrl: Promise<string> | null = null;
/** A TCP port nobody listens on now (so we never benchmark someone else's preview server). */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

/** URL of the built app: QUARRY_BENCH_URL, or a `vite preview` of this checkout started here. */
export function previewServer(): Promise<string> {
  if (process.env.QUARRY_BENCH_URL) return Promise.resolve(process.env.QUARRY_BENCH_URL);
  previewUrl ??= (async () => {
    ensureBuilt();
    const port = await freePort();
    const proc: ChildProcess = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
      cwd: ROOT,
      stdio: 'ignore',
      detached: true,
    });
    onCleanup(() => {
      // Kill the npx process group we started (npx → vite).
      if (proc.pid) {
        try {
          process.kill(-proc.pid);
        } catch {
          /* already gone */
        }
      }
    });
    const url = `http://127.0.0.1:${port}`;
    const until = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await fetch(url)).ok) return url;
      } catch {
        /* not up yet */
      }
      if (Date.now() > until) throw new Error(`vite preview did not start on ${url}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return previewUrl;
}

let browser: Promise<Browser> | null = null;
/** Headless Chromium (Debian's /usr/bin/chromium when present, or QUARRY_CHROMIUM). */
export function headlessChromium(): Promise<Browser> {
  browser ??= (async () => {
    const exe = process.env.QUARRY_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
    const b = await chromium.launch({
      executablePath: exe,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    onCleanup(() => b.close());
    return b;
  })();
  return browser;
}

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
