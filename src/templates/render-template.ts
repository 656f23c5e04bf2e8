// Renders a parsed template with hogan.js's lookup and section rules, the
// engine whose escape set matches Particle's documentation (docs.particle.io/reference/cloud-apis/webhooks).
// Pure: template + context -> string.
//
// - `{{a}}` escapes exactly & < > " ' (as &amp; &lt; &gt; &quot; &#39;); `/`, `=`
//   and backtick are left alone, so `Token {{INFLUX_API_KEY}}` keeps a base64
//   token's `==` (github.com/particle-iot/blueprint-intermediate-influxdb). `{{{a}}}` and `{{&a}}` do not escape.
// - Missing names render as ""; numbers and booleans with String() (`0`,
//   `false`); arrays comma-joined; objects `[object Object]` (docs.particle.io/reference/cloud-apis/webhooks).
// - Dotted names and numeric segments index into objects and arrays
//   (`a.b`, `c.0.ca`); sections iterate arrays, push objects, and test other
//   values for truthiness; `[]` is falsy; inverted sections render when the
//   value is missing, falsy or `[]`.
// - Reserved names (predefined variables and secrets) always resolve from the
//   reserved scope, whatever device data holds, even inside sections (docs.particle.io/reference/cloud-apis/webhooks:
//   device data can never override them).

import { parseTemplate, type TemplateNode } from './parse-template.ts';

export interface TemplateContext {
  /** Parsed event data (or a JSON response): the bottom scope. */
  data: unknown;
  /** Predefined variables and secrets; they win over `data` at any depth. */
  reserved: Readonly<Record<string, unknown>>;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const ESCAPE_RE = /[&<>"']/g;
const NEEDS_ESCAPE = /[&<>"']/;

/** HTML-escapes exactly the five characters Particle documents. */
export function escapeHtml(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_RE, (c) => ESCAPES[c]) : s;
}

/** hogan's coerceToString. */
export function coerce(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

function findInScope(key: string, scope: unknown): unknown {
  if (scope !== null && typeof scope === 'object' && Object.hasOwn(scope, key)) return (scope as Record<string, unknown>)[key];
  return undefined;
}

const NOT_FOUND = Symbol('not found');

function lookup(name: string, stack: unknown[], ctx: TemplateContext): unknown {
  if (name === '.') {
    // hogan: `.` is the current item only while iterating an array.
    return Array.isArray(stack[stack.length - 2]) ? stack[stack.length - 1] : NOT_FOUND;
  }
  const dot = name.indexOf('.');
  const first = dot < 0 ? name : name.slice(0, dot);
  let val: unknown = NOT_FOUND;
  if (Object.hasOwn(ctx.reserved, first)) val = ctx.reserved[first];
  else {
    for (let i = stack.length - 1; i >= 0; i--) {
      const v = findInScope(first, stack[i]);
      if (v !== undefined) {
        val = v;
        break;
      }
    }
  }
  if (val === NOT_FOUND || dot < 0) return val;
  for (const seg of name.slice(dot + 1).split('.')) {
    const found = findInScope(seg, val);
    val = found !== undefined ? found : '';
  }
  return val;
}

function renderNodes(nodes: TemplateNode[], stack: unknown[], ctx: TemplateContext, out: string[]): void {
  for (const n of nodes) {
    if (n.kind === 'text') out.push(n.text);
    else if (n.kind === 'var') {
      const v = lookup(n.name, stack, ctx);
      if (v === NOT_FOUND) continue;
      const s = coerce(v);
      out.push(n.escape ? escapeHtml(s) : s);
    } else {
      const v = lookup(n.name, stack, ctx);
      const pass = v !== NOT_FOUND && !(Array.isArray(v) && v.length === 0) && !!v;
      if (n.inverted) {
        if (!pass) renderNodes(n.children, stack, ctx, out);
        continue;
      }
      if (!pass) continue;
      stack.push(typeof v === 'object' ? v : stack[stack.length - 1]);
      if (Array.isArray(v)) {
        for (const item of v) {
          stack.push(item);
          renderNodes(n.children, stack, ctx, out);
          stack.pop();
        }
      } else renderNodes(n.children, stack, ctx, out);
      stack.pop();
    }
  }
}

const cache = new Map<string, TemplateNode[]>();
const CACHE_LIMIT = 5000;

/** Parsed form of `template`, cached (integrations render the same strings for every event). */
export function compile(template: string): TemplateNode[] {
  let nodes = cache.get(template);
  if (!nodes) {
    nodes = parseTemplate(template);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(template, nodes);
  }
  return nodes;
}

/** Renders `template` over `ctx`. Throws TemplateSyntaxError for an invalid template. */
export function render(template: string, ctx: TemplateContext): string {
  if (!template.includes('{{')) return template;
  const out: string[] = [];
  renderNodes(compile(template), [ctx.data], ctx, out);
  return out.join('');
}
