// "Publish a test event" with the signed-in token (device ID "api", as with
// Particle's API), so matching integrations run.

import { publishEvent } from '../../api/particle.ts';
import { field, h } from '../../ui/dom.ts';
import { messageBox, notify } from '../../ui/status.ts';

export function createPublishForm(): HTMLElement {
  const evName = h('input', { type: 'text', value: 'data', required: true, autocomplete: 'off', spellcheck: 'false', name: 'event-name' });
  const evData = h('textarea', { rows: 3, class: 'mono', spellcheck: 'false', name: 'event-data' });
  // The seed's payload; after each publish it moves on (count + 1, time now),
  // so repeated tests write new points instead of overwriting one, unless edited.
  let sample = 42;
  const sampleText = () => JSON.stringify({ count: sample, time: Math.floor(Date.now() / 1000) });
  evData.value = sampleText();
  let lastSample = evData.value;
  const pubErr = h('div');
  const form = h(
    'form',
    { class: 'card', 'aria-label': 'Publish a test event' },
    h('h2', null, 'Publish a test event'),
    h('p', { class: 'hint' }, 'Published with your token, so its device ID is “api”, as with Particle’s API. Matching integrations run.'),
    field('Event name', evName),
    field('Data', evData, 'Text up to 16 KiB; JSON keys become template variables ({{{count}}}).'),
    pubErr,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'publish' }, 'Publish'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    pubErr.replaceChildren();
    try {
      await publishEvent({ name: evName.value.trim(), data: evData.value });
      notify(`Published ${evName.value.trim()}`);
      if (evData.value === lastSample) {
        sample++;
        evData.value = lastSample = sampleText();
      }
    } catch (ex) {
      pubErr.replaceChildren(messageBox((ex as Error).message, 'error'));
    }
  });
  return form;
}
