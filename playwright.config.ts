import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

// Debian's Chromium where it exists (this machine, CI); Playwright's own browser elsewhere.
const debianChromium = '/usr/bin/chromium';
const executablePath = process.env.QUARRY_CHROMIUM ?? (existsSync(debianChromium) ? debianChromium : undefined);
// QUARRY_E2E_PORT lets several checkouts run their e2e suites side by side without one
// reusing another's preview server (and so testing another build).
const port = Number(process.env.QUARRY_E2E_PORT ?? 4173);
const origin = `http://127.0.0.1:${port}`;

const BASE_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update'];
const WEBGPU_SPECS = /webgpu[^/]*\.spec\.ts$/;

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { baseURL: origin, headless: true },
  projects: [
    {
      // Everything else, on WASM: this Chromium has no GPU, and --disable-gpu keeps it so.
      name: 'chromium',
      testIgnore: WEBGPU_SPECS,
      use: { launchOptions: { executablePath, args: [...BASE_ARGS, '--disable-gpu'] } },
    },
    {
      // The WebGPU path on SwiftShader (Vulkan on the CPU): requestAdapter() returns
      // vendor google, architecture swiftshader. Slow, so only the small specs it matches.
      name: 'webgpu',
      testMatch: WEBGPU_SPECS,
      use: { launchOptions: { executablePath, args: [...BASE_ARGS, '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader'] } },
    },
  ],
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
    url: origin,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
