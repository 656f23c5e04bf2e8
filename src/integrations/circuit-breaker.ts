// Per-host throttling, Particle's "sleep" (docs.particle.io/integrations/webhooks): scored per host
// name across every integration and independent of the port; deliveries are
// skipped once more errors (4xx, 5xx, timeouts) than successes come back, and
// the host recovers after a quiet period. Particle's exact scoring is not
// published (rolling averages); ours, documented in docs/particle.md:
// - scores decay exponentially (half-life 30 s);
// - the host opens ("sleeps") when failures >= 10 and failures > successes;
// - after a cool-down (5 s, doubling on each re-open up to 5 min) one probe
//   request goes through; success closes the host, failure re-opens it.

export interface BreakerOptions {
  halfLifeMs?: number;
  minFailures?: number;
  cooldownMs?: number;
  maxCooldownMs?: number;
}

export type HostState = 'closed' | 'open' | 'half-open';

interface Host {
  ok: number;
  fail: number;
  at: number;
  state: HostState;
  openUntil: number;
  cooldown: number;
  probing: boolean;
}

export class CircuitBreaker {
  private readonly hosts = new Map<string, Host>();
  private readonly halfLife: number;
  private readonly minFailures: number;
  private readonly cooldown: number;
  private readonly maxCooldown: number;

  constructor(opts: BreakerOptions = {}) {
    this.halfLife = opts.halfLifeMs ?? 30_000;
    this.minFailures = opts.minFailures ?? 10;
    this.cooldown = opts.cooldownMs ?? 5_000;
    this.maxCooldown = opts.maxCooldownMs ?? 300_000;
  }

  private host(name: string, now: number): Host {
    let h = this.hosts.get(name);
    if (!h) {
      h = { ok: 0, fail: 0, at: now, state: 'closed', openUntil: 0, cooldown: this.cooldown, probing: false };
      this.hosts.set(name, h);
    }
    const f = Math.pow(0.5, (now - h.at) / this.halfLife);
    h.ok *= f;
    h.fail *= f;
    h.at = now;
    return h;
  }

  /** May a request to `host` go out now? A true answer in half-open state reserves the probe. */
  allow(name: string, now = Date.now()): boolean {
    const h = this.hosts.get(name);
    if (!h || h.state === 'closed') return true;
    if (h.state === 'open' && now >= h.openUntil) {
      h.state = 'half-open';
      h.probing = false;
    }
    if (h.state === 'half-open' && !h.probing) {
      h.probing = true;
      return true;
    }
    return false;
  }

  record(name: string, ok: boolean, now = Date.now()): void {
    const h = this.host(name, now);
    if (ok) h.ok += 1;
    else h.fail += 1;
    if (h.state === 'half-open' && h.probing) {
      h.probing = false;
      if (ok) {
        h.state = 'closed';
        h.fail = 0;
        h.cooldown = this.cooldown;
      } else this.open(h, now, Math.min(h.cooldown * 2, this.maxCooldown));
      return;
    }
    if (h.state === 'closed' && h.fail >= this.minFailures && h.fail > h.ok) this.open(h, now, h.cooldown);
  }

  private open(h: Host, now: number, cooldown: number): void {
    h.state = 'open';
    h.cooldown = cooldown;
    h.openUntil = now + cooldown;
  }

  /** One host's state now: open ("sleeping") until `until`, half-open (a probe may go), or closed. */
  hostState(name: string, now = Date.now()): { state: HostState; until?: number } {
    const h = this.hosts.get(name);
    if (!h || h.state === 'closed') return { state: 'closed' };
    if (h.state === 'open' && now >= h.openUntil) return { state: 'half-open', until: h.openUntil };
    return { state: h.state, until: h.openUntil };
  }

  /**
   * "Retry now": the user says the host is fixed. It is closed with a clean
   * score and the first cool-down again; if it still fails, it re-opens after
   * `minFailures` more errors as a new host would.
   */
  wake(name: string): boolean {
    const h = this.hosts.get(name);
    if (!h) return false;
    const was = h.state !== 'closed' || h.fail > 0;
    Object.assign(h, { ok: 0, fail: 0, state: 'closed', openUntil: 0, cooldown: this.cooldown, probing: false });
    return was;
  }

  /** Hosts that are not plainly healthy, for the status API. */
  status(now = Date.now()): Array<{ host: string; state: HostState; successes: number; failures: number; retryAt?: string }> {
    const out = [];
    for (const [name, h] of this.hosts) {
      if (h.state === 'closed' && h.fail < 1) continue;
      this.host(name, now);
      out.push({ host: name, state: h.state, successes: Math.round(h.ok * 10) / 10, failures: Math.round(h.fail * 10) / 10, ...(h.state !== 'closed' ? { retryAt: new Date(h.openUntil).toISOString() } : {}) });
    }
    return out;
  }
}

/**
 * Exponential backoff with jitter: attempt n (1-based, the one that failed)
 * waits base * 4^(n-1), ±25 %, at most `max`. With the 2 s base: about 2 s,
 * 8 s, 32 s, 2 min 8 s between five attempts.
 */
export function backoffMs(attempt: number, baseMs = 2000, maxMs = 600_000, random = Math.random): number {
  const d = Math.min(baseMs * Math.pow(4, attempt - 1), maxMs);
  return Math.round(d * (0.75 + random() * 0.5));
}
