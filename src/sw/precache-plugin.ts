// Build-time only (Node, imported by vite.config.ts; never bundled into the app): writes
// dist/sw.js from sw.template.js with the list of every file the build produced and a
// version derived from their contents, so a new build installs a new cache and an
// unchanged build keeps the old one. ORT's WebGPU build is listed apart: the service
// worker caches it only where a WebGPU adapter exists (see sw.template.js).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

const SKIP = [/^sw\.js$/, /\.map$/, /(^|\/)\.DS_Store$/, /(^|\/)README\.md$/];
/** ORT's asyncify build (27 MB), the one with the WebGPU EP: only WebGPU loads it (onnx-setup.ts). */
export const WEBGPU_ONLY = /(^|\/)ort-wasm-[^/]*\.asyncify[-.][^/]*$/;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

/**
 * Paths (relative to outDir, `/`-separated): `files` to precache on install, `webgpuFiles`
 * to cache only where WebGPU runs, and a content hash over both.
 */
export function precacheManifest(outDir: string): { files: string[]; webgpuFiles: string[]; version: string } {
  const all = walk(outDir)
    .map((f) => relative(outDir, f).split(sep).join('/'))
    .filter((f) => !SKIP.some((re) => re.test(f)))
    .sort();
  const hash = createHash('sha256');
  for (const f of all) {
    hash.update(f);
    hash.update(readFileSync(join(outDir, f)));
  }
  return { files: all.filter((f) => !WEBGPU_ONLY.test(f)), webgpuFiles: all.filter((f) => WEBGPU_ONLY.test(f)), version: hash.digest('hex').slice(0, 16) };
}

export function quarryServiceWorker(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'quarry-service-worker',
    apply: 'build',
    configResolved(c) {
      config = c;
    },
    // closeBundle: after Vite has copied public/ (models, demo) into outDir.
    closeBundle(error?: Error) {
      const outDir = resolve(config.root, config.build.outDir);
      // A failed build still calls closeBundle: leave its error alone.
      if (error || !existsSync(join(outDir, 'index.html'))) return;
      const { files, webgpuFiles, version } = precacheManifest(outDir);
      const template = readFileSync(new URL('./sw.template.js', import.meta.url), 'utf8');
      const sw = template
        .replace("'__QUARRY_VERSION__'", JSON.stringify(version))
        .replace('__QUARRY_PRECACHE__', JSON.stringify(files))
        .replace('__QUARRY_WEBGPU_FILES__', JSON.stringify(webgpuFiles));
      writeFileSync(join(outDir, 'sw.js'), sw);
      config.logger.info(`quarry-service-worker: sw.js precaches ${files.length} files, ${webgpuFiles.length} more where WebGPU runs (version ${version})`);
    },
  };
}
