// npm run docs: regenerates the documentation that is derived from code.
import { writeFileSync } from 'node:fs';
import { renderConfigDoc } from '../src/config/render-config-doc.ts';
import { renderErrorsDoc } from '../src/core/render-errors-doc.ts';

const root = new URL('..', import.meta.url).pathname;
writeFileSync(root + 'docs/config.md', renderConfigDoc());
writeFileSync(root + 'docs/errors.md', renderErrorsDoc());
console.log('wrote docs/config.md and docs/errors.md');
