// Which device a model runs on. 'auto' means WebGPU when the browser gives us an adapter,
// otherwise WASM with a notice the UI shows. Headless Chromium exposes navigator.gpu but
// returns no adapter; transformers.js' own 'webgpu' then fails, so we ask ourselves.
export type DevicePreference = 'auto' | 'webgpu' | 'wasm';
export type Device = 'webgpu' | 'wasm';

export interface DeviceChoice {
  device: Device;
  /** Set when the choice differs from what was asked for, or WebGPU is unavailable: shown to the user. */
  notice?: string;
}

/** What the browser says about its WebGPU adapter (e.g. vendor `google`, architecture `swiftshader`). */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
}

type GpuAdapterLike = { info?: Partial<AdapterInfo> };
let adapterProbe: Promise<AdapterInfo | null> | null = null;

/** The WebGPU adapter's info, or null when navigator.gpu is missing or hands out no adapter (probed once per realm). */
export function webGpuAdapterInfo(): Promise<AdapterInfo | null> {
  adapterProbe ??= (async () => {
    const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } } | undefined)?.gpu;
    if (!gpu) return null;
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) return null;
      const info = adapter.info ?? {};
      return { vendor: info.vendor ?? '', architecture: info.architecture ?? '', description: info.description ?? '' };
    } catch {
      return null;
    }
  })();
  return adapterProbe;
}

/** True when navigator.gpu exists and hands out an adapter. */
export async function hasWebGpuAdapter(): Promise<boolean> {
  return (await webGpuAdapterInfo()) !== null;
}

/** One line for the UI: `google swiftshader`, or `unknown adapter` when the browser hides it. */
export function adapterLabel(info: AdapterInfo): string {
  return [info.vendor, info.architecture].filter(Boolean).join(' ') || info.description || 'unknown adapter';
}

/** Resolve a preference to the device we will try first. */
export function chooseDevice(pref: DevicePreference, adapter: boolean): DeviceChoice {
  if (pref === 'wasm') return { device: 'wasm' };
  if (adapter) return { device: 'webgpu' };
  return {
    device: 'wasm',
    notice:
      pref === 'webgpu'
        ? 'WebGPU was requested but this browser offers no GPU adapter: running on WASM (CPU).'
        : 'No WebGPU adapter in this browser: running on WASM (CPU).',
  };
}

/**
 * Run `load` on the chosen device; if WebGPU fails (driver, unsupported op), retry on WASM
 * and say so. Returns the result with the device that actually runs.
 */
export async function withDeviceFallback<T>(
  choice: DeviceChoice,
  load: (device: Device) => Promise<T>,
): Promise<{ value: T; device: Device; notice?: string }> {
  if (choice.device === 'wasm') return { value: await load('wasm'), device: 'wasm', notice: choice.notice };
  try {
    return { value: await load('webgpu'), device: 'webgpu', notice: choice.notice };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return {
      value: await load('wasm'),
      device: 'wasm',
      notice: `WebGPU failed (${why.slice(0, 200)}): running on WASM (CPU) instead.`,
    };
  }
}
