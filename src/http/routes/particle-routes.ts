// Every route of the event hub, registered by server.ts with createEventHub()'s parts.

import type { FastifyInstance } from 'fastify';
import type { HubParts } from '../../hub/hub-parts.ts';
import { registerIntegrationStatus } from './hookline-integration-status.ts';
import { registerParticleDevices } from './particle-devices.ts';
import { registerParticleEvents } from './particle-events.ts';
import { registerHooklineEventApi } from './particle-hookline-api.ts';
import { registerParticleIntegrations } from './particle-integrations.ts';
import { registerParticleSecrets } from './particle-secrets.ts';

export function registerParticleRoutes(app: FastifyInstance, parts: HubParts): void {
  registerParticleDevices(app, parts);
  registerParticleEvents(app, parts);
  registerParticleIntegrations(app, parts);
  registerParticleSecrets(app, parts);
  registerHooklineEventApi(app, parts);
  registerIntegrationStatus(app, parts);
}
