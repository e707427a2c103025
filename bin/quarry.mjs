#!/usr/bin/env node
// The `quarry` CLI runs the TypeScript sources directly through tsx, so the CLI and the
// app share src/core and src/runtime with no separate build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
register();
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const { run } = await import(main);
process.exitCode = await run(process.argv.slice(2));
