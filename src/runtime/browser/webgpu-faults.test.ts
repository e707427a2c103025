import { afterEach, describe, expect, it } from 'vitest';
import { checkSessionFault, faultNameSuffix, parseWebGpuFault, simulateWebGpuFault, withRunFault } from './webgpu-faults';

afterEach(() => simulateWebGpuFault(null));

describe('parseWebGpuFault', () => {
  it('reads session and run:N from a page query or a worker name', () => {
    expect(parseWebGpuFault('?webgpu-fault=session')).toEqual({ at: 'session' });
    expect(parseWebGpuFault('?x=1&webgpu-fault=run:4')).toEqual({ at: 'run', afterCalls: 4 });
    expect(parseWebGpuFault('quarry-embed webgpu-fault=run:12')).toEqual({ at: 'run', afterCalls: 12 });
  });

  it('ignores anything else', () => {
    expect(parseWebGpuFault('')).toBeNull();
    expect(parseWebGpuFault('quarry-embed')).toBeNull();
    expect(parseWebGpuFault('?webgpu-fault=run')).toBeNull();
    expect(parseWebGpuFault('?webgpu-fault=sessions')).toBeNull();
    expect(parseWebGpuFault('?not-webgpu-fault=session')).toBeNull();
  });

  it('round-trips through the worker name suffix', () => {
    expect(faultNameSuffix('')).toBe('');
    expect(parseWebGpuFault('quarry-embed' + faultNameSuffix('?webgpu-fault=run:3'))).toEqual({ at: 'run', afterCalls: 3 });
  });
});

describe('armed faults', () => {
  const model = {
    dim: 2,
    calls: 0,
    async embed(texts: string[]) {
      this.calls++;
      return new Float32Array(texts.length * this.dim);
    },
  };

  it('do nothing unless armed', async () => {
    expect(() => checkSessionFault()).not.toThrow();
    expect(withRunFault(model, 'embed')).toBe(model);
  });

  it('session: session creation throws', () => {
    simulateWebGpuFault({ at: 'session' });
    expect(() => checkSessionFault()).toThrow('simulated: WebGPU session creation failed');
  });

  it('run: the first N calls reach the model, later ones fail like a lost device', async () => {
    simulateWebGpuFault({ at: 'run', afterCalls: 2 });
    model.calls = 0;
    const m = withRunFault(model, 'embed');
    expect(m.dim).toBe(2);
    expect((await m.embed(['a', 'b'])).length).toBe(4);
    await m.embed(['c']);
    await expect(m.embed(['d'])).rejects.toThrow('simulated: the WebGPU device was lost');
    expect(model.calls).toBe(2);
  });
});
