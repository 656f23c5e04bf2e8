// Buckets: list, create with a retention period, change retention, delete
// (which deletes the bucket's data).

import { createBucket, deleteBucket, listBuckets, listOrgs, retentionOf, updateBucketRetention, type Bucket } from '../../api/influx.ts';
import type { Page } from '../../router.ts';
import { confirmDialog, openDialog } from '../../ui/dialog.ts';
import { button, field, h, selectEl } from '../../ui/dom.ts';
import { dataTable, loadInto, pageFrame } from '../../ui/page.ts';
import { messageBox, notify } from '../../ui/status.ts';
import { RETENTIONS, retentionLabel } from './retention.ts';

function retentionSelect(seconds: number): HTMLSelectElement {
  const opts = RETENTIONS.map((r) => ({ value: String(r.seconds), label: r.label }));
  if (!RETENTIONS.some((r) => r.seconds === seconds)) opts.push({ value: String(seconds), label: retentionLabel(seconds) });
  return selectEl(opts, String(seconds));
}

export function bucketsPage(): Page {
  const list = h('div');
  const refresh = () =>
    loadInto(list, async () => {
      const buckets = await listBuckets();
      return dataTable(
        'Buckets',
        ['Name', 'Retention', 'ID', ''],
        buckets.map((b) => [h('strong', null, b.name), retentionLabel(retentionOf(b)), h('code', null, b.id), actions(b)]),
        'No buckets.',
        'buckets',
      );
    });

  function actions(b: Bucket): HTMLElement {
    return h(
      'div',
      { class: 'row-actions' },
      button('Retention…', () => editRetention(b), { class: 'secondary small', 'aria-label': `Change retention of ${b.name}` }),
      button(
        'Delete',
        async () => {
          if (!(await confirmDialog(`Delete bucket ${b.name}?`, 'Every point stored in it is deleted too. This cannot be undone.', 'Delete bucket'))) return;
          try {
            await deleteBucket(b.id);
            notify(`Deleted bucket ${b.name}`);
            void refresh();
          } catch (e) {
            notify((e as Error).message, 'error');
          }
        },
        { class: 'danger small', 'aria-label': `Delete bucket ${b.name}` },
      ),
    );
  }

  function editRetention(b: Bucket): void {
    const sel = retentionSelect(retentionOf(b));
    const err = h('div');
    const save = button(
      'Save',
      async () => {
        try {
          await updateBucketRetention(b.id, Number(sel.value));
          notify(`Retention of ${b.name}: ${retentionLabel(Number(sel.value))}`);
          d.close();
          void refresh();
        } catch (e) {
          err.replaceChildren(messageBox((e as Error).message, 'error'));
        }
      },
      { class: 'primary' },
    );
    const d = openDialog(`Retention of ${b.name}`, h('div', null, field('Keep data for', sel, 'Points older than this are deleted.'), err), [save]);
  }

  const name = h('input', { type: 'text', required: true, autocomplete: 'off', spellcheck: 'false', name: 'bucket-name' });
  const retention = retentionSelect(0);
  const err = h('div');
  const form = h(
    'form',
    { class: 'card inline-form', 'aria-label': 'Create a bucket' },
    h('h2', null, 'Create a bucket'),
    h('div', { class: 'row' }, field('Name', name), field('Retention', retention)),
    err,
    h('button', { type: 'submit', class: 'primary' }, 'Create bucket'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.replaceChildren();
    try {
      const orgs = await listOrgs();
      if (!orgs[0]) throw new Error('no organization is readable with this token');
      const b = await createBucket({ orgID: orgs[0].id, name: name.value.trim(), everySeconds: Number(retention.value) });
      notify(`Created bucket ${b.name}`);
      name.value = '';
      void refresh();
    } catch (ex) {
      err.replaceChildren(messageBox((ex as Error).message, 'error'));
    }
  });

  void refresh();
  return { title: 'Buckets', el: pageFrame('Buckets', 'Where points are stored. InfluxDB clients name a bucket (or a 1.x database) when they write.', h('section', { class: 'card', 'aria-label': 'All buckets' }, h('h2', null, 'All buckets'), list), form) };
}
