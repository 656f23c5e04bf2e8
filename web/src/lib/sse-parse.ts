// An incremental Server-Sent Events parser (WHATWG HTML "event stream
// interpretation"). The browser's EventSource cannot be used for Particle
// streams: it delivers named events only to listeners registered for that
// exact name, and Particle names every event (`event: temperature`), so a
// stream of arbitrary names needs its own parser over fetch().

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;
  private hasData = false;
  /** Comment lines (`:ok`, keep-alives), useful to show the stream is alive. */
  comments = 0;

  /** Feeds decoded text; returns the messages it completed. */
  push(text: string): SseMessage[] {
    this.buffer += text;
    const out: SseMessage[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (m[0] === '\r' && m.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const msg = this.line(line);
      if (msg) out.push(msg);
    }
    return out;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') {
      if (!this.hasData) {
        this.event = '';
        return undefined;
      }
      const msg: SseMessage = { event: this.event || 'message', data: this.data.join('\n') };
      if (this.id !== undefined) msg.id = this.id;
      this.event = '';
      this.data = [];
      this.hasData = false;
      return msg;
    }
    if (line.startsWith(':')) {
      this.comments++;
      return undefined;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'event') this.event = value;
    else if (name === 'data') {
      this.data.push(value);
      this.hasData = true;
    } else if (name === 'id' && !value.includes('\0')) this.id = value;
    return undefined;
  }
}

/** A Particle event as the stream's JSON carries it, plus its name from the `event:` line. */
export interface ParticleEvent {
  name: string;
  data: string | null;
  ttl?: number | string;
  published_at: string;
  coreid: string;
  [k: string]: unknown;
}

export function toParticleEvent(m: SseMessage): ParticleEvent | undefined {
  try {
    const body = JSON.parse(m.data) as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
    return { ...(body as Omit<ParticleEvent, 'name'>), name: m.event } as ParticleEvent;
  } catch {
    return undefined;
  }
}
