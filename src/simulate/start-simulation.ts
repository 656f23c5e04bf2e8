// Builds the publishers an options set asks for (creating Particle-style
// devices through /v1/devices when no device tokens are given) and starts
// them. Used by `hookline simulate` and, with the demo's own devices, by demo mode.

import { createClient } from './http-client.ts';
import { provisionDevices } from './devices.ts';
import { particlePublisher, wemosPublisher, type Publisher } from './publishers.ts';
import { Simulation, type SimulationOptions } from './simulation.ts';
import type { SimulateOptions } from './options.ts';

export async function buildPublishers(o: SimulateOptions): Promise<Publisher[]> {
  const publishers: Publisher[] = [];
  const devices =
    o.deviceTokens.length > 0
      ? o.deviceTokens.map((token, i) => ({ name: `${o.namePrefix}${i + 1}`, token }))
      : o.devices > 0
        ? await provisionDevices(
            createClient(o.url, o.token),
            Array.from({ length: o.devices }, (_, i) => `${o.namePrefix}${i + 1}`),
          )
        : [];
  devices.forEach((d, i) =>
    publishers.push(particlePublisher({ base: o.url, name: d.name, token: d.token, event: o.event, payload: o.payload, phase: i * 1.3 })),
  );
  for (let i = 0; i < o.wemos; i++) {
    publishers.push(wemosPublisher({ base: o.url, name: `${o.namePrefix}wemos-${i + 1}`, token: o.token, path: o.wemosPath, payload: o.wemosPayload, phase: 2 + i }));
  }
  return publishers;
}

export async function startSimulation(o: SimulateOptions, extra: Partial<SimulationOptions> = {}): Promise<Simulation> {
  const sim = new Simulation(await buildPublishers(o), { periodMs: o.periodMs, count: o.count, ...extra });
  sim.start();
  return sim;
}
