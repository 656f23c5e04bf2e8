// A level as a coloured badge (crit red, warn amber, info blue, ok green, error red outline).

import { h } from '../../ui/dom.ts';

export function levelBadge(level: string): HTMLElement {
  return h('span', { class: `badge level level-${level}`, 'data-level': level }, level);
}

export function tagText(tags: Record<string, string>): string {
  const t = Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(', ');
  return t || '(all)';
}
