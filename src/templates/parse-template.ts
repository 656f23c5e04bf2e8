// Parses a Particle webhook template (logic-less mustache, mustache(5)) into a
// tree. Pure: no I/O, no clock. Reference §2.3: variables `{{a}}`, raw
// `{{{a}}}` / `{{&a}}`, sections `{{#a}}…{{/a}}`, inverted `{{^a}}…{{/a}}`,
// comments `{{! …}}`, delimiter changes `{{=<% %>=}}`. Partials `{{> x}}`
// parse but render nothing (webhook templates are static strings, §2.3
// [INFERRED]). Standalone tags (a section, inverted, close, comment, partial
// or delimiter tag alone on its line) remove their whole line, as the
// mustache spec and hogan.js do.

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string; escape: boolean }
  | { kind: 'section'; name: string; inverted: boolean; children: TemplateNode[] };

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at character ${position}`);
  }
}

interface Token {
  type: string; // 'text' | 'name' | '&' | '#' | '^' | '/' | '!' | '>' | '='
  value: string;
  start: number;
}

function tokenize(template: string): Token[] {
  let open = '{{';
  let close = '}}';
  const tokens: Array<Token | undefined> = [];
  let spaces: number[] = [];
  let hasTag = false;
  let nonSpace = false;
  const stripSpace = () => {
    if (hasTag && !nonSpace) while (spaces.length) tokens[spaces.pop()!] = undefined;
    else spaces = [];
    hasTag = false;
    nonSpace = false;
  };
  let pos = 0;
  while (pos < template.length) {
    const at = template.indexOf(open, pos);
    const textEnd = at < 0 ? template.length : at;
    for (let i = pos; i < textEnd; i++) {
      const ch = template[i];
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') spaces.push(tokens.length);
      else nonSpace = true;
      tokens.push({ type: 'text', value: ch, start: i });
      if (ch === '\n') stripSpace();
    }
    if (at < 0) break;
    const start = at;
    pos = at + open.length;
    hasTag = true;
    let type = 'name';
    const c = template[pos];
    if (c === '#' || c === '^' || c === '/' || c === '>' || c === '{' || c === '&' || c === '=' || c === '!') {
      type = c;
      pos++;
    }
    let value: string;
    if (type === '{') {
      const end = template.indexOf('}' + close, pos);
      if (end < 0) throw new TemplateSyntaxError(`unclosed tag "{{{"`, start);
      value = template.slice(pos, end);
      pos = end + 1 + close.length;
      type = '&';
    } else if (type === '=') {
      const end = template.indexOf('=' + close, pos);
      if (end < 0) throw new TemplateSyntaxError('unclosed delimiter change', start);
      value = template.slice(pos, end);
      pos = end + 1 + close.length;
    } else {
      const end = template.indexOf(close, pos);
      if (end < 0) throw new TemplateSyntaxError(`unclosed tag "${open}"`, start);
      value = template.slice(pos, end);
      pos = end + close.length;
    }
    value = value.trim();
    if (type === '=') {
      const parts = value.split(/\s+/);
      if (parts.length !== 2 || !parts[0] || !parts[1]) throw new TemplateSyntaxError(`invalid delimiters "${value}"`, start);
      [open, close] = parts;
    } else if (type !== '!' && value === '') {
      throw new TemplateSyntaxError('empty tag', start);
    }
    if (type === 'name' || type === '&') nonSpace = true;
    tokens.push({ type, value, start });
  }
  stripSpace();
  return tokens.filter((t): t is Token => t !== undefined);
}

/**
 * Deepest nesting of sections a template may have. Rendering recurses once per
 * level, so thousands of nested sections overflowed the stack (a RangeError,
 * a 500) instead of failing as a template error; real templates nest a few.
 */
export const MAX_SECTION_DEPTH = 100;

/** Builds the tree; throws TemplateSyntaxError on unclosed, mismatched or too deeply nested sections. */
export function parseTemplate(template: string): TemplateNode[] {
  const root: TemplateNode[] = [];
  const stack: Array<{ name: string; start: number; children: TemplateNode[] }> = [];
  let out = root;
  let text = '';
  const flush = () => {
    if (text) out.push({ kind: 'text', text });
    text = '';
  };
  for (const t of tokenize(template)) {
    switch (t.type) {
      case 'text':
        text += t.value;
        break;
      case 'name':
      case '&':
        flush();
        out.push({ kind: 'var', name: t.value, escape: t.type === 'name' });
        break;
      case '#':
      case '^': {
        flush();
        if (stack.length >= MAX_SECTION_DEPTH) throw new TemplateSyntaxError(`sections nested more than ${MAX_SECTION_DEPTH} deep`, t.start);
        const node: TemplateNode = { kind: 'section', name: t.value, inverted: t.type === '^', children: [] };
        out.push(node);
        stack.push({ name: t.value, start: t.start, children: out });
        out = node.children;
        break;
      }
      case '/': {
        flush();
        const open = stack.pop();
        if (!open) throw new TemplateSyntaxError(`unopened section "${t.value}"`, t.start);
        if (open.name !== t.value) throw new TemplateSyntaxError(`unclosed section "${open.name}"`, t.start);
        out = open.children;
        break;
      }
      default:
        // comments, partials and delimiter changes produce no output
        flush();
    }
  }
  flush();
  if (stack.length) throw new TemplateSyntaxError(`unclosed section "${stack[stack.length - 1].name}"`, stack[stack.length - 1].start);
  return root;
}

/** True when the string holds no tag at all (rendering it is the identity). */
export function isPlainText(template: string): boolean {
  return !template.includes('{{');
}
