/** Attribute bounds declared in the model (maxLength, maxItems, maxDepth) are what reconcile and edits enforce. */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { loadCatalog } from '../../src/model/load-catalog';
import { TestGraph } from '../support/graph';
import { TestApi } from '../support/api';
import { useTestApi } from '../support/suite';
import { registerSource } from '../support/reconcile';
import { tempDir } from '../support/temp-dir';

const dir = tempDir('limits-model');
writeFileSync(join(dir, 'limits.yaml'), [
  'classes:',
  '  - name: Application',
  '    extend: true',
  '    attributes:',
  '      - { name: releaseNotes, type: string, maxLength: 20000 }',
  '      - { name: ticketCode, type: string, maxLength: 8 }',
  '      - { name: tags, type: stringList, maxItems: 3, maxLength: 5 }',
  '      - { name: settings, type: json, maxDepth: 2, maxLength: 40 }',
].join('\n'));

let graph: TestGraph;
let api: TestApi;
useTestApi((g, a) => ([graph, api] = [g, a]), { catalog: () => loadCatalog({ extensionPath: dir }) });

beforeAll(() => registerSource(api, { name: 'limits-src', kind: 'DISCOVERY' }));

const RECONCILE = `mutation($input: ReconcileInput!) { reconcile(input: $input) { items { ref operation errors { field reason } } } }`;

it('refuses each value over its own bound, naming the field and the bound, and writes the items within bounds', async () => {
  const app = (ref: string, attributes: Record<string, unknown>) => ({ ref, class: 'Application', name: ref, attributes });
  const result = await api.run(RECONCILE, { input: { source: 'limits-src', items: [
    app('fits', { releaseNotes: 'n'.repeat(15_000), ticketCode: 'CHG-0001', tags: ['a', 'bb', 'ccc'], settings: { a: { b: 1 } } }),
    app('code', { ticketCode: 'CHG-00001' }),
    app('tags', { tags: ['a', 'b', 'c', 'd'] }),
    app('tag', { tags: ['toolong'] }),
    app('deep', { settings: { a: { b: { c: 1 } } } }),
    app('wide', { settings: { text: 'x'.repeat(40) } }),
    app('notes', { releaseNotes: 'n'.repeat(20_001) }),
  ] } });
  expect(result.errors).toBeUndefined();
  expect(result.data.reconcile.items).toEqual([
    { ref: 'fits', operation: 'CREATED', errors: [] },
    { ref: 'code', operation: 'ERROR', errors: [{ field: 'items[1].attributes.ticketCode', reason: 'must be at most 8 bytes, got 9' }] },
    { ref: 'tags', operation: 'ERROR', errors: [{ field: 'items[2].attributes.tags', reason: 'must have at most 3 items, got 4' }] },
    { ref: 'tag', operation: 'ERROR', errors: [{ field: 'items[3].attributes.tags', reason: 'each item must be at most 5 bytes' }] },
    { ref: 'deep', operation: 'ERROR', errors: [{ field: 'items[4].attributes.settings', reason: 'must be nested at most 2 levels deep' }] },
    { ref: 'wide', operation: 'ERROR', errors: [{ field: 'items[5].attributes.settings', reason: 'must be at most 40 bytes as JSON, got 51' }] },
    { ref: 'notes', operation: 'ERROR', errors: [{ field: 'items[6].attributes.releaseNotes', reason: 'must be at most 20000 bytes, got 20001' }] },
  ]);
  expect((await graph.snapshot()).nodes).toEqual([['Application', 'fits']]);
  const stored = await graph.client.read("MATCH (c:CI {name: 'fits'}) RETURN size(c.releaseNotes) AS n");
  expect(stored.records[0].get('n')).toBe(15_000);
});

it('manual edits keep the same bounds, and the catalog shows them', async () => {
  const edit = await api.run('mutation($i: CreateCiInput!) { createCi(input: $i) { id } }', { i: { class: 'Application', name: 'manual-app', attributes: { ticketCode: 'TOO-LONG-1' } } });
  expect(edit.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(JSON.stringify(edit.errors?.[0].extensions)).toContain('must be at most 8 bytes, got 10');
  expect((await graph.snapshot()).nodes).toEqual([['Application', 'fits']]);
  const catalog = await api.run(`{ ciClasses(name: "Application") { name attributes { name limits { maxLength maxItems maxDepth } } } }`);
  const app = catalog.data.ciClasses.find((c: any) => c.name === 'Application');
  const byName = Object.fromEntries(app.attributes.map((a: any) => [a.name, a.limits]));
  expect(byName.ticketCode).toEqual({ maxLength: 8, maxItems: 1000, maxDepth: 32 });
  expect(byName.settings).toEqual({ maxLength: 40, maxItems: 1000, maxDepth: 2 });
  expect(byName.releaseNotes).toEqual({ maxLength: 20000, maxItems: 1000, maxDepth: 32 });
});
