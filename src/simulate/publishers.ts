// What one simulated device sends each period.
//  - A Particle device: POST /v1/devices/events with its own token, event
//    `data` and JSON text as data, as Particle.publish() does through the cloud.
//  - A Wemos (ESP8266) device: the seed's exact request (metrics.cpp): POST
//    /api/put, JSON array, `Authorization: basic base64("DESC:" + token)`
//    with the lower-case scheme, User-Agent ESP8266HTTPClient.

import { renderPayload } from './payload-template.ts';

export interface PublishOutcome {
  ok: boolean;
  status?: number;
  error?: string;
}

export interface Publisher {
  name: string;
  kind: 'particle' | 'wemos';
  publish(count: number, nowMs: number): Promise<PublishOutcome>;
}

async function send(url: string, init: RequestInit): Promise<PublishOutcome> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
    const text = await res.text();
    return res.ok ? { ok: true, status: res.status } : { ok: false, status: res.status, error: text.slice(0, 200) || res.statusText };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    return { ok: false, error: err.cause?.code ?? err.message };
  }
}

/** `countFrom`: the first {{count}} (a device that booted earlier has counted further). */
export function particlePublisher(o: { base: string; name: string; token: string; event: string; payload: string; phase?: number; countFrom?: number }): Publisher {
  return {
    name: o.name,
    kind: 'particle',
    publish(count, nowMs) {
      const data = renderPayload(o.payload, { count: count - 1 + (o.countFrom ?? 1), nowMs, device: o.name, phase: o.phase });
      return send(`${o.base}/v1/devices/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: o.event, data, private: true }),
      });
    },
  };
}

export function wemosAuthorization(token: string): string {
  return `basic ${Buffer.from(`DESC:${token}`).toString('base64')}`;
}

export function wemosPublisher(o: { base: string; name: string; token: string; path: string; payload: string; phase?: number }): Publisher {
  return {
    name: o.name,
    kind: 'wemos',
    publish(count, nowMs) {
      const body = renderPayload(o.payload, { count, nowMs, device: o.name, phase: o.phase });
      return send(`${o.base}${o.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: wemosAuthorization(o.token), 'user-agent': 'ESP8266HTTPClient' },
        body,
      });
    },
  };
}
