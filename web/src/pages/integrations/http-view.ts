// A request or response shown the way it goes over the wire: request line,
// headers, blank line, body. Secrets arrive from the server already masked
// as [[SENSITIVE]]; nothing here unmasks anything.

import type { RenderedRequest, SentResponse } from '../../api/integration-ops.ts';
import { h } from '../../ui/dom.ts';

function headerLines(headers: Record<string, string> | undefined): string[] {
  return Object.entries(headers ?? {}).map(([k, v]) => `${k}: ${v}`);
}

// A masked secret inside the URL arrives percent-encoded; show the mask as a mask.
const ENCODED_MASK = /%5B%5BSENSITIVE%5D%5D/gi;

export function requestText(r: RenderedRequest): string {
  return [`${r.method} ${r.url.replace(ENCODED_MASK, '[[SENSITIVE]]')}`, ...headerLines(r.headers)].join('\n') + (r.body ? `\n\n${r.body}` : '');
}

export function responseText(r: SentResponse): string {
  return [`HTTP ${r.status}`, ...headerLines(r.headers)].join('\n') + (r.body ? `\n\n${r.body}` : '\n\n(empty body)');
}

export function httpBlock(title: string, text: string, testid: string): HTMLElement {
  return h('div', { class: 'http-block' }, h('h3', null, title), h('pre', { class: 'mono', 'data-testid': testid, tabindex: '0' }, text));
}
