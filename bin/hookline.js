#!/usr/bin/env node
// Entry point of the `hookline` command. The sources are TypeScript, loaded
// through tsx (a dependency), so there is no build step between a checkout and
// a running server.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
process.exitCode = code;
