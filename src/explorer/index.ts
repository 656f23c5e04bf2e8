// The explorer concern: the web UI at / on the main port (built from web/ by
// scripts/build-web.mjs) and, when HOOKLINE_DEMO is on, demo mode's simulated
// devices (src/demo). The UI itself is a client of the public API only.

import type { FastifyInstance } from 'fastify';
import type { ConcernDeps } from '../concern-deps.ts';
import type { Module } from '../core/ports/module.ts';
import { startDemo, type Demo } from '../demo/start-demo.ts';
import { registerUiRoutes } from './ui-routes.ts';
import { buildWebAssets, loadWebAssets, needsBuild, type WebAssets } from './web-assets.ts';

export async function createExplorer(deps: ConcernDeps): Promise<Module<FastifyInstance>> {
  let assets: WebAssets | undefined;
  try {
    if (await needsBuild()) await buildWebAssets();
  } catch (e) {
    deps.logger.warn('explorer: building the web UI failed; serving the existing build if any', { error: (e as Error).message });
  }
  assets = await loadWebAssets();
  if (!assets) deps.logger.warn('explorer: web/dist is missing; / answers 503 until `npm run build:web`');

  let demo: Demo | undefined;
  return {
    routes(app) {
      registerUiRoutes(app, () => assets);
    },
    async start({ url }) {
      if (!deps.config.demo) return;
      try {
        demo = await startDemo(deps, url);
      } catch (e) {
        deps.logger.error('demo: could not start', { error: (e as Error).message });
      }
    },
    async close() {
      await demo?.stop();
      assets = undefined;
    },
  };
}
