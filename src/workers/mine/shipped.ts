// Which weights a model actually ships, so the Mine page offers only dtypes that load: the
// bundled demo models carry only q8 (onnx/model_quantized.onnx); fp32 (onnx/model.onnx) is
// offered when the file is there. Models from elsewhere (HF id, local folder) are not probed.
import type { ModelRecord } from '../../db/schema';

export type WeightDtype = 'q8' | 'fp32';
const FILES: Record<WeightDtype, string> = { q8: 'onnx/model_quantized.onnx', fp32: 'onnx/model.onnx' };

const cache = new Map<string, Promise<WeightDtype[]>>();

async function exists(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { method: 'HEAD', cache: 'no-store' });
    // A static host may answer a missing file with the app's index.html.
    return r.ok && !(r.headers.get('content-type') ?? '').includes('text/html');
  } catch {
    return false;
  }
}

export function shippedDtypes(rec: ModelRecord): Promise<WeightDtype[]> {
  if (rec.source.type !== 'bundled') return Promise.resolve(['q8', 'fp32']);
  const base = `${import.meta.env.BASE_URL}models/${rec.source.path}/`;
  let p = cache.get(base);
  if (!p) {
    p = (async () => {
      const found: WeightDtype[] = [];
      for (const d of ['q8', 'fp32'] as const) if (await exists(base + FILES[d])) found.push(d);
      // Offline with no answer: q8 is what the app bundles.
      return found.length ? found : ['q8'];
    })();
    cache.set(base, p);
  }
  return p;
}
